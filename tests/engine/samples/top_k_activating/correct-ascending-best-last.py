"""Correct: the k best images, listed from the k-th best to the best (any
order is accepted)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


def top_k_activating(images, weight, bias, channel, k):
    images = np.asarray(images, dtype=float)
    kernel = np.asarray(weight, dtype=float)[channel]
    windows = sliding_window_view(images, kernel.shape[1:], axis=(2, 3))
    unit = np.einsum("ncijkl,ckl->nij", windows, kernel) + bias[channel]
    scores = np.maximum(unit, 0).reshape(len(images), -1).max(axis=1)
    return list(np.argsort(scores)[-k:])
