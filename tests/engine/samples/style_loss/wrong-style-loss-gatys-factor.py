"""Wrong (style-loss-gatys-factor): each layer scaled by 1/(4N²M²)."""

import numpy as np


def gram(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m @ m.T


def style_loss(style_features, generated_features):
    total = 0.0
    for s, g in zip(style_features, generated_features):
        n, m = np.shape(s)[0], np.size(s) // np.shape(s)[0]
        total += np.sum((gram(s) - gram(g)) ** 2) / (4 * n**2 * m**2)
    return float(total)
