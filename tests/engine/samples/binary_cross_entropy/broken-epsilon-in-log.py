"""Broken: adds an epsilon inside each log, log(p + 1e-7) and log(1 - p + 1e-7):
for a confident prediction (p = 0.9999 or 0.0001) this changes the loss far
beyond the tolerance."""

import numpy as np


def binary_cross_entropy(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    eps = 1e-7
    return float(-np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))
