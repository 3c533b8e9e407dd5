"""Correct: the closed form for each shape (X has full rank):
p >= n: w = X^T (X X^T)^-1 y;  p < n: w = (X^T X)^-1 X^T y."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    if p >= n:
        return X.T @ np.linalg.solve(X @ X.T, y)
    return np.linalg.solve(X.T @ X, X.T @ y)
