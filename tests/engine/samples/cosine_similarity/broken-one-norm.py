"""Broken (no named mistake): divides by the length of a only, forgetting the
length of b."""

import numpy as np


def cosine_similarity(a, b):
    norm = np.linalg.norm(a)
    if norm == 0 or not np.any(b):
        return 0.0
    return float(np.dot(a, b) / norm)
