"""Wrong (no named mistake): returns (hs, h_T), the last hidden state, where C_T is asked for.

The loop is right; the second output must be the cell state C_T, not h_T.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_sequence(xs, h0, C0, W, b):
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    h, C = np.asarray(h0, dtype=float), np.asarray(C0, dtype=float)
    hs = []
    for x in np.asarray(xs, dtype=float):
        f, i, g, o = np.split(np.concatenate([h, x], axis=-1) @ W.T + b, 4, axis=-1)
        C = sigmoid(f) * C + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(C)
        hs.append(h)
    return np.array(hs), hs[-1]
