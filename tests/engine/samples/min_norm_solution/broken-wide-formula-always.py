"""Broken: the interpolating formula X^T (X X^T)^-1 y for every shape; when
p < n, X X^T is singular and the formula does not give the least-squares
solution."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return X.T @ np.linalg.inv(X @ X.T) @ y
