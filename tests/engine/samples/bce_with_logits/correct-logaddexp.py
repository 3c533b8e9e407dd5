"""Correct: -log sigmoid(z) = log(1 + e^-z) = logaddexp(0, -z), never forming sigmoid."""

import numpy as np


def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z)))
