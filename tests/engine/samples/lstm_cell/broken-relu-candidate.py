"""Wrong (no named mistake): ReLU instead of tanh for the candidate C̃.

The candidate can then never be negative and is not bounded by 1.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev))
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    f, i, g, o = np.split(np.concatenate([h_prev, x], axis=-1) @ W.T + b, 4, axis=-1)
    C = sigmoid(f) * C_prev + sigmoid(i) * np.maximum(g, 0.0)
    return sigmoid(o) * np.tanh(C), C
