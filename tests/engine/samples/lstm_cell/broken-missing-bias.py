"""Wrong (no named mistake): b is never added; the gates see W [h, x] alone."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev))
    W = np.asarray(W, dtype=float)
    H = h_prev.shape[-1]
    a = np.concatenate([h_prev, x], axis=-1) @ W.T
    f, i = sigmoid(a[..., :H]), sigmoid(a[..., H : 2 * H])
    g, o = np.tanh(a[..., 2 * H : 3 * H]), sigmoid(a[..., 3 * H :])
    C = f * C_prev + i * g
    return o * np.tanh(C), C
