"""Broken: standardises each filter, (w − mean)/std, instead of the min-max
rescaling to [0, 1]."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    out = np.zeros_like(w)
    for f in range(w.shape[0]):
        std = w[f].std()
        if std > 0:
            out[f] = (w[f] - w[f].mean()) / std
    return out
