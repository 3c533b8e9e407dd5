"""Broken (no named mistake): returns 0 when a is the zero vector but not when
b is, which then gives nan."""

import numpy as np


def cosine_similarity(a, b):
    if not np.any(a):
        return 0.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))
