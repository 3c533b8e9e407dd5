"""Correct: normalise the rows (leaving zero rows at zero), then X X^T."""

import numpy as np


def pairwise_cosine(matrix):
    x = np.asarray(matrix, dtype=float)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return unit @ unit.T
