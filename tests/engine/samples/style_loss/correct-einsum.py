"""Correct: Gram matrices with einsum, summed squared differences per layer."""

import numpy as np


def style_loss(style_features, generated_features):
    layers = []
    for s, g in zip(style_features, generated_features):
        s, g = np.array(s, dtype=np.float64), np.array(g, dtype=np.float64)
        gs = np.einsum("ihw,jhw->ij", s, s)
        gg = np.einsum("ihw,jhw->ij", g, g)
        layers.append(((gs - gg) ** 2).sum())
    return np.sum(layers)
