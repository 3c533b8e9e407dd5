"""Correct: x + α·w, broadcast over the rows of a batch."""

import numpy as np


def fool_linear(x, w, alpha):
    return np.asarray(x, dtype=float) + alpha * np.asarray(w, dtype=float)
