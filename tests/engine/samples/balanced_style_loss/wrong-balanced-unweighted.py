"""Wrong (balanced-unweighted): the total is the plain sum of the two losses."""

import numpy as np


def gram(f):
    m = np.asarray(f, dtype=float).reshape(len(f), -1)
    return m @ m.T


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    lc = sum(
        np.sum(
            (
                np.asarray(content_features[layer])
                - np.asarray(generated_features[layer])
            )
            ** 2
        )
        for layer in content_layers
    )
    ls = sum(
        np.sum((gram(style_features[layer]) - gram(generated_features[layer])) ** 2)
        for layer in style_layers
    )
    return float(lc), float(ls), float(lc + ls)
