"""Broken: (w − min)/max, a slip with no name."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    out = np.zeros_like(w)
    for f in range(w.shape[0]):
        if w[f].max() != w[f].min():
            out[f] = (w[f] - w[f].min()) / abs(w[f].max())
    return out
