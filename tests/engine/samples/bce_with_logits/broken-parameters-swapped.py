"""Broken: the parameters are declared in the other order, (z, y), so the
labels are used as logits and the logits as labels."""

import numpy as np


def bce_with_logits(z, y):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
