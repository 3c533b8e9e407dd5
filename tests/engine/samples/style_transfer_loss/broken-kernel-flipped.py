"""Broken: a true convolution (kernel flipped, as in scipy.signal.convolve2d)
instead of PyTorch's cross-correlation."""

import numpy as np


def conv_relu(x, w, b):
    x, w, b = (np.asarray(v, dtype=float) for v in (x, w, b))
    w = w[:, :, ::-1, ::-1]  # flipped: a convolution in the textbook sense
    c_out, _, kh, kw = w.shape
    rows, cols = x.shape[1] - kh + 1, x.shape[2] - kw + 1
    z = np.empty((c_out, rows, cols))
    for i in range(rows):
        for j in range(cols):
            z[:, i, j] = np.tensordot(w, x[:, i : i + kh, j : j + kw], axes=3) + b
    return np.maximum(z, 0.0)


def gram(h):
    m = h.reshape(h.shape[0], -1)
    return m @ m.T


def style_transfer_loss(content, style, generated, w1, b1, w2, b2, alpha, beta):
    def layers(image):
        h1 = conv_relu(image, w1, b1)
        return h1, conv_relu(h1, w2, b2)

    c, s, g = layers(content), layers(style), layers(generated)
    content_loss = np.sum((c[1] - g[1]) ** 2)
    style_loss = sum(np.sum((gram(a) - gram(b)) ** 2) for a, b in zip(s, g))
    return float(alpha * content_loss + beta * style_loss)
