"""Broken: subtracts each channel's mean before the product (a covariance),
reading "correlations between filters" literally; the notes' Gram matrix
uses the raw activations."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    m = m - m.mean(axis=1, keepdims=True)
    return m @ m.T
