"""Wrong (named mistake bce-log2): log base 2 (bits) instead of the natural log."""

import numpy as np


def binary_cross_entropy(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(-np.mean(y * np.log2(p) + (1 - y) * np.log2(1 - p)))
