"""Wrong (gram-positions-by-positions): Mᵀ M, an (H·W, H·W) matrix."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m.T @ m
