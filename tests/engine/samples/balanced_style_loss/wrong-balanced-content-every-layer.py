"""Wrong (balanced-content-every-layer): compares C and G at every layer,
ignoring content_layers."""

import numpy as np


def gram(f):
    m = np.asarray(f, dtype=float).reshape(len(f), -1)
    return m @ m.T


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    lc = 0.0
    for c, g in zip(content_features, generated_features):
        lc += np.sum((np.asarray(c, dtype=float) - np.asarray(g, dtype=float)) ** 2)
    ls = 0.0
    for layer in style_layers:
        ls += np.sum(
            (gram(style_features[layer]) - gram(generated_features[layer])) ** 2
        )
    return lc, ls, 0.5 * lc + 0.5 * ls
