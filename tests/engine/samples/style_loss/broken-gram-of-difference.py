"""Broken: takes the Gram matrix of the difference of the feature maps,
gram(F_S − F_G), instead of the difference of the two Gram matrices."""

import numpy as np


def style_loss(style_features, generated_features):
    total = 0.0
    for s, g in zip(style_features, generated_features):
        d = np.asarray(s, dtype=float) - np.asarray(g, dtype=float)
        m = d.reshape(d.shape[0], -1)
        total += np.sum((m @ m.T) ** 2)
    return float(total)
