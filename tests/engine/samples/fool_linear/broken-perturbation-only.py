"""Broken: returns the perturbation α·w (broadcast to x's shape) instead of the
moved input x + α·w."""

import numpy as np


def fool_linear(x, w, alpha):
    x = np.asarray(x, dtype=float)
    return np.broadcast_to(alpha * np.asarray(w, dtype=float), x.shape).copy()
