"""Broken: w reshaped to a column (D, 1) before adding, so in a batch row i gets
α·w_i added to every feature instead of α·w (and one example becomes (D, D))."""

import numpy as np


def fool_linear(x, w, alpha):
    w = np.asarray(w, dtype=float).reshape(-1, 1)
    return np.asarray(x, dtype=float) + alpha * w
