"""Wrong (balanced-style-at-content-layers): computes the style term at the
content layers, so style_layers is never used."""

import numpy as np


def gram(f):
    m = np.asarray(f, dtype=float).reshape(len(f), -1)
    return m @ m.T


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    lc, ls = 0.0, 0.0
    for layer in content_layers:
        c = np.asarray(content_features[layer], dtype=float)
        g = np.asarray(generated_features[layer], dtype=float)
        lc += np.sum((c - g) ** 2)
        ls += np.sum((gram(style_features[layer]) - gram(g)) ** 2)
    return lc, ls, 0.5 * lc + 0.5 * ls
