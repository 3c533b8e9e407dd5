"""Wrong (style-loss-norm-not-squared): Frobenius norm, not its square."""

import numpy as np


def gram(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m @ m.T


def style_loss(style_features, generated_features):
    total = 0.0
    for s, g in zip(style_features, generated_features):
        total += np.linalg.norm(gram(s) - gram(g))
    return float(total)
