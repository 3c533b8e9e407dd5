"""Wrong (pairwise-cosine-columns): normalises columns and compares columns."""

import numpy as np


def pairwise_cosine(matrix):
    x = np.asarray(matrix, dtype=float)
    norms = np.linalg.norm(x, axis=0, keepdims=True)
    unit = np.divide(x, norms, out=np.zeros_like(x), where=norms > 0)
    return unit.T @ unit
