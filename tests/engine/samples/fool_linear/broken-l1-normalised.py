"""Broken: w divided by its L1 norm (sum of |w_i|) before the step, a different
normalisation the notes do not use."""

import numpy as np


def fool_linear(x, w, alpha):
    w = np.asarray(w, dtype=float)
    total = np.abs(w).sum()
    direction = w / total if total > 0 else w
    return np.asarray(x, dtype=float) + alpha * direction
