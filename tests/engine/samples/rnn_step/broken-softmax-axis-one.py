"""Wrong (no named mistake): the softmax sums over axis=1, which only a 2-D batch has.

Batches come out right, but a single sample given as 1-D vectors raises an
AxisError: the class axis is the last one, axis=-1, in both forms.
"""

import numpy as np


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.tanh(h_prev @ W.T + x @ U.T)
    scores = h @ V.T
    exp = np.exp(scores - scores.max(axis=1, keepdims=True))
    return h, exp / exp.sum(axis=1, keepdims=True)
