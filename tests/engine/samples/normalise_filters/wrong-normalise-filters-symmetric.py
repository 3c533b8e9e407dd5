"""Wrong (normalise-filters-symmetric): w/(2·max|w|) + 0.5 per filter."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    out = np.empty_like(w)
    for f in range(w.shape[0]):
        out[f] = w[f] / (2 * np.abs(w[f]).max()) + 0.5
    return out
