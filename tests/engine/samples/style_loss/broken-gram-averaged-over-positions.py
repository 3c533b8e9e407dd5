"""Broken: each layer's Gram matrix divided by its number of positions H·W
before the difference is squared (the notes' Gram matrix is unnormalised)."""

import numpy as np


def style_loss(style_features, generated_features):
    total = 0.0
    for s, g in zip(style_features, generated_features):
        ms = np.asarray(s, dtype=float).reshape(len(s), -1)
        mg = np.asarray(g, dtype=float).reshape(len(g), -1)
        positions = ms.shape[1]
        total += np.sum((ms @ ms.T / positions - mg @ mg.T / positions) ** 2)
    return float(total)
