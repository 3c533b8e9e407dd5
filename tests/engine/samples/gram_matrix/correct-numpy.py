"""Correct: M = features.reshape(C, H·W), GM = M Mᵀ."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m @ m.T
