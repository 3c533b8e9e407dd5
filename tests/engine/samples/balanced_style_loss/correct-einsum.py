"""Correct: Gram matrices by einsum, comprehensions, alpha and beta named."""

import numpy as np

ALPHA = BETA = 0.5


def balanced_style_loss(C_feats, S_feats, G_feats, c_layers, s_layers):
    C = [np.array(f, dtype=np.float64) for f in C_feats]
    S = [np.array(f, dtype=np.float64) for f in S_feats]
    G = [np.array(f, dtype=np.float64) for f in G_feats]
    content = sum(((C[i] - G[i]) ** 2).sum() for i in c_layers)
    style = sum(
        (
            (
                np.einsum("ahw,bhw->ab", S[i], S[i])
                - np.einsum("ahw,bhw->ab", G[i], G[i])
            )
            ** 2
        ).sum()
        for i in s_layers
    )
    return (content, style, ALPHA * content + BETA * style)
