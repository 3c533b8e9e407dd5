"""Wrong (balanced-gatys-factor): each style layer's term divided by 4 N² M²,
as in Gatys et al. and the deeplearning.ai course."""

import numpy as np


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    lc = 0.0
    for layer in content_layers:
        lc += np.sum(
            (
                np.asarray(content_features[layer])
                - np.asarray(generated_features[layer])
            )
            ** 2
        )
    ls = 0.0
    for layer in style_layers:
        s = np.asarray(style_features[layer], dtype=float)
        g = np.asarray(generated_features[layer], dtype=float)
        n, m = s.shape[0], s.shape[1] * s.shape[2]
        ms, mg = s.reshape(n, m), g.reshape(n, m)
        ls += np.sum((ms @ ms.T - mg @ mg.T) ** 2) / (4 * n**2 * m**2)
    return lc, ls, 0.5 * lc + 0.5 * ls
