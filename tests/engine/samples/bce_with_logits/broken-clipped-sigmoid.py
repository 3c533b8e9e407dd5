"""Broken: forms sigmoid(z) and clips it to [1e-7, 1 - 1e-7] as Keras does:
finite, but a confident wrong logit (z = 50, y = 0) costs about 16 instead of
50."""

import numpy as np


def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        p = np.clip(1 / (1 + np.exp(-z)), 1e-7, 1 - 1e-7)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
