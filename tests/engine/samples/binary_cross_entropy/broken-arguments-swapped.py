"""Broken: the labels and the predictions are exchanged in the formula
(log y instead of log p): hard labels 0 and 1 then give log 0."""

import numpy as np


def binary_cross_entropy(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    with np.errstate(all="ignore"):
        return float(-np.mean(p * np.log(y) + (1 - p) * np.log(1 - y)))
