"""Wrong (recon-ascends): x + lr·∇E."""

import numpy as np


def conv_pre(x, w, b):
    c_out, _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    z = np.empty((c_out, rows, cols))
    for i in range(rows):
        for j in range(cols):
            z[:, i, j] = np.tensordot(w, x[:, i : i + kh, j : j + kw], axes=3) + b
    return z


def reconstruction_objective(x, x0, weight, bias, lam, lr):
    x, x0 = np.asarray(x, dtype=float), np.asarray(x0, dtype=float)
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    z = conv_pre(x, w, b)
    diff = np.maximum(z, 0) - np.maximum(conv_pre(x0, w, b), 0)
    down = x[:, 1:, :] - x[:, :-1, :]
    right = x[:, :, 1:] - x[:, :, :-1]
    value = np.sum(diff**2) + lam * (np.abs(down).sum() + np.abs(right).sum())
    # data term: back through the ReLU and the convolution
    dz = 2 * diff * (z > 0)
    _, _, kh, kw = w.shape
    grad = np.zeros_like(x)
    for i in range(dz.shape[1]):
        for j in range(dz.shape[2]):
            grad[:, i : i + kh, j : j + kw] += np.tensordot(dz[:, i, j], w, axes=1)
    # TV term: each |d| pulls its two pixels with sign(d) (0 when d = 0)
    grad[:, 1:, :] += lam * np.sign(down)
    grad[:, :-1, :] -= lam * np.sign(down)
    grad[:, :, 1:] += lam * np.sign(right)
    grad[:, :, :-1] -= lam * np.sign(right)
    return float(value), x + lr * grad
