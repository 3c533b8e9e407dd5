"""Wrong (no named mistake): [h, x] @ W instead of [h, x] @ W.T.

W is (4H, H+I): this raises a shape error unless H + I = 4H, and when the
two happen to agree (I = 3H) it silently computes Wᵀ [h, x].
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev))
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    a = np.concatenate([h_prev, x], axis=-1) @ W + b
    f, i, g, o = np.split(a, 4, axis=-1)
    C = sigmoid(f) * C_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(C), C
