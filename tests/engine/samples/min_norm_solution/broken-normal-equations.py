"""Broken: the normal equations (X^T X)^-1 X^T y for every shape. When p > n,
X^T X is singular: numpy either raises or returns some solution that is not the
minimum-norm one."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.inv(X.T @ X) @ X.T @ y
