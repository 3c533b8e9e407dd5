"""Wrong (named mistake bce-log-likelihood): the notes' formula typed in as is,
y log p + (1 - y) log(1 - p), averaged but without the minus sign."""

import numpy as np


def binary_cross_entropy(y, p):
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    return float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
