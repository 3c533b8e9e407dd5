"""Wrong (no named mistake): ReLU as the hidden activation instead of the notes' tanh.

Positive pre-activations come out unchanged (not squashed into (−1, 1)) and
negative ones become 0.
"""

import numpy as np


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.maximum(0.0, h_prev @ W.T + x @ U.T)
    scores = h @ V.T
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return h, exp / exp.sum(axis=-1, keepdims=True)
