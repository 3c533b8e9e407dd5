"""Correct: the negative mean log-likelihood, natural log."""

import numpy as np


def binary_cross_entropy(y, p):
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
