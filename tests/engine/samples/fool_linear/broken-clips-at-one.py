"""Broken: values above 1 are cut back to 1 (np.minimum), values below 0 are
left alone: a one-sided clip the notes do not ask for."""

import numpy as np


def fool_linear(x, w, alpha):
    return np.minimum(np.asarray(x, dtype=float) + alpha * np.asarray(w), 1.0)
