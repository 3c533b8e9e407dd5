"""Broken (no named mistake): returns |cos|, assuming the vectors are
non-negative frequencies; opposite directions then give +1 instead of -1."""

import numpy as np


def cosine_similarity(a, b):
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    return 0.0 if norms == 0 else abs(float(np.dot(a, b) / norms))
