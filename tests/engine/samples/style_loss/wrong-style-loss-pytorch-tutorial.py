"""Wrong (style-loss-pytorch-tutorial): Gram / (N·M), then a mean squared error."""

import numpy as np


def gram(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m @ m.T / f.size


def style_loss(style_features, generated_features):
    total = 0.0
    for s, g in zip(style_features, generated_features):
        total += np.mean((gram(s) - gram(g)) ** 2)
    return float(total)
