"""Broken: shows a constant filter as mid-grey 0.5; the exercise asks for zeros."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    out = np.full_like(w, 0.5)
    for f in range(w.shape[0]):
        low, high = w[f].min(), w[f].max()
        if high > low:
            out[f] = (w[f] - low) / (high - low)
    return out
