"""Broken: slides the kernel flipped (a textbook convolution, as
scipy.signal.convolve2d does) instead of PyTorch's cross-correlation."""

import numpy as np


def conv_relu(x, w, b):
    w = w[:, :, ::-1, ::-1]
    c_out, _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    z = np.empty((c_out, rows, cols))
    for i in range(rows):
        for j in range(cols):
            z[:, i, j] = np.tensordot(w, x[:, i : i + kh, j : j + kw], axes=3) + b
    return np.maximum(z, 0.0)


def top_k_activating(images, weight, bias, channel, k):
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    scores = [
        conv_relu(np.asarray(x, dtype=float), w, b)[channel].max() for x in images
    ]
    return [int(i) for i in np.argsort(scores)[::-1][:k]]
