"""Wrong (no named mistake): squeezes the batch axis, then splits the gates along axis 1.

Works for N ≥ 2 but breaks for a batch of one and for 1-D inputs (the
IndexError of several published implementations).
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev))
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    a = (np.concatenate([h_prev, x], axis=-1) @ W.T + b).squeeze()
    f, i, g, o = np.split(a, 4, axis=1)
    C = sigmoid(f) * C_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(C), C
