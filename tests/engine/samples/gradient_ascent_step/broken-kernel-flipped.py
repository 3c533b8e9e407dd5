"""Broken: a true convolution (kernel flipped) instead of PyTorch's
cross-correlation, in a hand-derived gradient."""

import numpy as np


def gradient_ascent_step(x, weight, bias, channel, lr):
    x = np.asarray(x, dtype=float)
    w = np.asarray(weight, dtype=float)[channel][:, ::-1, ::-1]
    b = float(np.asarray(bias, dtype=float)[channel])
    _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    grad = np.zeros_like(x)
    for i in range(rows):
        for j in range(cols):
            h = max(0.0, float(np.sum(w * x[:, i : i + kh, j : j + kw])) + b)
            grad[:, i : i + kh, j : j + kw] += 2 * h * w / (rows * cols)
    return x + lr * grad
