"""Wrong (no named mistake): every weight used transposed, x @ U and h @ V as in CS231n.

The shapes are not square (U is H×I, V is K×H), so this raises a shape error on
most cases instead of silently giving wrong numbers.
"""

import numpy as np


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.tanh(h_prev @ W + x @ U)
    scores = h @ V
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return h, exp / exp.sum(axis=-1, keepdims=True)
