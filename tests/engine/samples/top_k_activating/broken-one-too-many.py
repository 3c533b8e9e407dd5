"""Broken: an off-by-one slice, order[: k + 1], returns k + 1 images."""

import numpy as np


def conv_relu(x, w, b):
    c_out, _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    z = np.empty((c_out, rows, cols))
    for i in range(rows):
        for j in range(cols):
            z[:, i, j] = np.tensordot(w, x[:, i : i + kh, j : j + kw], axes=3) + b
    return np.maximum(z, 0.0)


def top_k_activating(images, weight, bias, channel, k):
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    scores = np.array(
        [conv_relu(np.asarray(x, dtype=float), w, b)[channel].max() for x in images]
    )
    order = np.argsort(-scores)
    return order[: k + 1].tolist()
