"""Wrong (balanced-gram-per-position): the Gram matrix averaged over the H·W
positions, as in the TensorFlow tutorial."""

import torch


def gram(x):
    c, h, w = x.shape
    m = x.reshape(c, h * w)
    return m @ m.T / (h * w)


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    C = [torch.tensor(f, dtype=torch.float64) for f in content_features]
    S = [torch.tensor(f, dtype=torch.float64) for f in style_features]
    G = [torch.tensor(f, dtype=torch.float64) for f in generated_features]
    lc = sum(((C[layer] - G[layer]) ** 2).sum() for layer in content_layers)
    ls = sum(((gram(S[layer]) - gram(G[layer])) ** 2).sum() for layer in style_layers)
    return float(lc), float(ls), float(0.5 * lc + 0.5 * ls)
