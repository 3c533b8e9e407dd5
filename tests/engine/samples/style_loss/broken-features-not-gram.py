"""Broken: compares the feature maps themselves, Σ (F_S − F_G)², as the
content loss does, instead of their Gram matrices."""

import numpy as np


def style_loss(style_features, generated_features):
    total = 0.0
    for s, g in zip(style_features, generated_features):
        total += np.sum((np.asarray(s, dtype=float) - np.asarray(g, dtype=float)) ** 2)
    return float(total)
