"""Wrong (normalise-filters-constant-nan): 0/0 for a constant filter."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    out = np.empty_like(w)
    for f in range(w.shape[0]):
        out[f] = (w[f] - w[f].min()) / (w[f].max() - w[f].min())
    return out
