"""Broken: the Frobenius norm of each difference, not its square."""

import numpy as np


def gram(f):
    m = np.asarray(f, dtype=float).reshape(len(f), -1)
    return m @ m.T


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    lc = sum(
        np.linalg.norm(
            np.asarray(content_features[layer]) - np.asarray(generated_features[layer])
        )
        for layer in content_layers
    )
    ls = sum(
        np.linalg.norm(gram(style_features[layer]) - gram(generated_features[layer]))
        for layer in style_layers
    )
    return lc, ls, 0.5 * lc + 0.5 * ls
