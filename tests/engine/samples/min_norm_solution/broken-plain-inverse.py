"""Broken: w = X^-1 y with the plain inverse, which exists only for a square
X; any other shape raises."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    return np.linalg.inv(X) @ y
