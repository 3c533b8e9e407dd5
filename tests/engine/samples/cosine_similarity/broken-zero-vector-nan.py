"""Broken (no named mistake): plain NumPy, a zero vector gives nan, not 0."""

import numpy as np


def cosine_similarity(a, b):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
