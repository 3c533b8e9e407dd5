"""Wrong (grad-ascent-not-squared): maximises mean(h), not mean(h²)."""

import numpy as np


def conv_relu(x, w, b):
    c_out, _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    z = np.empty((c_out, rows, cols))
    for i in range(rows):
        for j in range(cols):
            z[:, i, j] = np.tensordot(w, x[:, i : i + kh, j : j + kw], axes=3) + b
    return np.maximum(z, 0.0)


def gradient_ascent_step(x, weight, bias, channel, lr):
    x = np.asarray(x, dtype=float)
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    h = conv_relu(x, w, b)[channel]
    _, _, kh, kw = w.shape
    grad = np.zeros_like(x)
    for i in range(h.shape[0]):
        for j in range(h.shape[1]):
            # d/dx of h[i, j]² / P; h is 0 where the unit is off, so those add nothing
            grad[:, i : i + kh, j : j + kw] += (h[i, j] > 0) * w[channel] / h.size
    return x + lr * grad
