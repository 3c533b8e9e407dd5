"""Wrong (balanced-dlai-weights): keeps the Coursera assignment's default
weights alpha = 10, beta = 40."""

import numpy as np


def gram(f):
    m = np.asarray(f, dtype=float).reshape(len(f), -1)
    return m @ m.T


def total_cost(j_content, j_style, alpha=10, beta=40):
    return alpha * j_content + beta * j_style


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
    return float(lc), float(ls), float(total_cost(lc, ls))
