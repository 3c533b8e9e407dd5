"""Wrong (normalise-filters-per-channel): each (filter, channel) slice on its own."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    flat = w.reshape(w.shape[0] * w.shape[1], -1)
    low = flat.min(axis=1, keepdims=True)
    span = flat.max(axis=1, keepdims=True) - low
    out = np.zeros_like(flat)
    np.divide(flat - low, span, out=out, where=span > 0)
    return out.reshape(w.shape)
