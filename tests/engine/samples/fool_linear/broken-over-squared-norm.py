"""Broken: steps along w/‖w‖², so the score rises by exactly α instead of
α‖w‖²; the notes add α·w itself."""

import numpy as np


def fool_linear(x, w, alpha):
    w = np.asarray(w, dtype=float)
    squared = w @ w
    step = alpha * w / squared if squared > 0 else np.zeros_like(w)
    return np.asarray(x, dtype=float) + step
