"""Broken: for p > n it solves the square system on the first n features and
sets the other weights to 0: that w fits the data exactly but is not the one
of smallest norm."""

import numpy as np


def min_norm_solution(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y, dtype=float)
    n, p = X.shape
    if p <= n:
        return np.linalg.solve(X.T @ X, X.T @ y)
    w = np.zeros(p)
    w[:n] = np.linalg.solve(X[:, :n], y)
    return w
