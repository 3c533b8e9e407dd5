"""Correct: the pseudo-inverse from NumPy's SVD, in float32 end to end."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=np.float32), np.asarray(y, dtype=np.float32)
    U, s, Vt = np.linalg.svd(X, full_matrices=False)
    return Vt.T @ ((U.T @ y) / s)
