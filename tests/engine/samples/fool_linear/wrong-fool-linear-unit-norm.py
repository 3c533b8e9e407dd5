"""Wrong (fool-linear-unit-norm): w scaled to unit length first."""

import numpy as np


def fool_linear(x, w, alpha):
    w = np.asarray(w, dtype=float)
    return np.asarray(x, dtype=float) + alpha * w / np.linalg.norm(w)
