"""Broken (no named mistake): divides by the row norms without keepdims, so
NumPy broadcasts them along the columns (and fails unless n == d)."""

import numpy as np


def pairwise_cosine(matrix):
    norms = np.linalg.norm(matrix, axis=1)
    norms[norms == 0] = 1.0
    unit = matrix / norms
    return unit @ unit.T
