"""Broken (no named mistake): divides every row by its norm without a guard,
so a zero row gives nan."""

import numpy as np


def pairwise_cosine(matrix):
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    return unit @ unit.T
