"""Broken (no named mistake): divides each COLUMN by its norm (axis=0) before
X X^T, instead of each row."""

import numpy as np


def pairwise_cosine(matrix):
    x = np.asarray(matrix, dtype=float)
    norms = np.linalg.norm(x, axis=0, keepdims=True)
    unit = x / np.where(norms > 0, norms, 1.0)
    return unit @ unit.T
