"""Broken: adds a ridge term, (X^T X + 1e-3 I)^-1 X^T y, to make X^T X
invertible: the result is shrunk towards 0 and is not the minimum-norm
least-squares solution."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    p = X.shape[1]
    return np.linalg.solve(X.T @ X + 1e-3 * np.eye(p), X.T @ y)
