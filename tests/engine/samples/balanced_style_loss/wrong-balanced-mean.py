"""Wrong (balanced-mean): F.mse_loss for both terms, which averages instead of
summing."""

import torch
import torch.nn.functional as F


def gram(x):
    m = x.flatten(1)
    return m @ m.T


def balanced_style_loss(
    content_features, style_features, generated_features, content_layers, style_layers
):
    C = [torch.tensor(f, dtype=torch.float64) for f in content_features]
    S = [torch.tensor(f, dtype=torch.float64) for f in style_features]
    G = [torch.tensor(f, dtype=torch.float64) for f in generated_features]
    lc = sum(F.mse_loss(G[layer], C[layer]) for layer in content_layers)
    ls = sum(F.mse_loss(gram(G[layer]), gram(S[layer])) for layer in style_layers)
    return float(lc), float(ls), float(0.5 * lc + 0.5 * ls)
