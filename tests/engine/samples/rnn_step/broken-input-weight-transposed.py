"""Wrong (no named mistake): the input weight is used transposed, x @ U instead of x @ U.T.

U is H×I, so this raises a shape error whenever H ≠ I and silently computes
Uᵀ x when H = I.
"""

import numpy as np


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.tanh(h_prev @ W.T + x @ U)
    scores = h @ V.T
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return h, exp / exp.sum(axis=-1, keepdims=True)
