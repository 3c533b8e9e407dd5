"""Broken (no named mistake): divides by the L1 norms (sums of absolute
values) instead of the Euclidean lengths."""

import numpy as np


def cosine_similarity(a, b):
    norms = np.abs(a).sum() * np.abs(b).sum()
    return 0.0 if norms == 0 else float(np.dot(a, b) / norms)
