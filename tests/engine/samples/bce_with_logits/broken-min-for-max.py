"""Broken: min(z, 0) where the stable form has max(z, 0)."""

import numpy as np


def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.minimum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))))
