"""Broken: Gatys' ½ in front of the content term; the notes have none."""

import numpy as np


def gram(f):
    m = np.asarray(f, dtype=float).reshape(len(f), -1)
    return m @ m.T


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    lc = 0.5 * sum(
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
    return lc, ls, 0.5 * lc + 0.5 * ls
