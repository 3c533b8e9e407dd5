"""Broken: pairs y with log(1 - p) and 1 - y with log p, the two logs exchanged:
it rewards confident wrong predictions."""

import numpy as np


def binary_cross_entropy(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(-np.mean(y * np.log(1 - p) + (1 - y) * np.log(p)))
