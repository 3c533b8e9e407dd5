"""Wrong (gram-normalised-hw): averaged over the H·W positions."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m @ m.T / m.shape[1]
