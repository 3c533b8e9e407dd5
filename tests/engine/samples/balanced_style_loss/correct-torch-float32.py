"""Correct: torch in float32, helpers for each loss, a print of the parts."""

import torch


def as_maps(features):
    return [torch.tensor(f, dtype=torch.float32) for f in features]


def gram(x):
    flat = x.flatten(1)
    return flat @ flat.T


def content_loss(c, g, layers):
    return sum(((c[layer] - g[layer]) ** 2).sum() for layer in layers)


def style_loss(s, g, layers):
    return sum(
        torch.linalg.norm(gram(s[layer]) - gram(g[layer])) ** 2 for layer in layers
    )


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    c, s, g = (
        as_maps(f) for f in (content_features, style_features, generated_features)
    )
    lc = content_loss(c, g, content_layers)
    ls = style_loss(s, g, style_layers)
    print("content", float(lc), "style", float(ls))
    return lc, ls, 0.5 * lc + 0.5 * ls
