"""Wrong (style-step-content-half): content loss with ½, so its gradient loses the 2."""

import numpy as np


def conv_relu(x, w, b):
    """ReLU of a valid cross-correlation, stride 1."""
    x, w, b = (np.asarray(v, dtype=float) for v in (x, w, b))
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


def conv_input_grad(dz, w, shape):
    """Gradient of a valid cross-correlation with respect to its input."""
    w = np.asarray(w, dtype=float)
    _, _, kh, kw = w.shape
    dx = np.zeros(shape)
    for i in range(dz.shape[1]):
        for j in range(dz.shape[2]):
            dx[:, i : i + kh, j : j + kw] += np.tensordot(dz[:, i, j], w, axes=1)
    return dx


def gram_grad(h, target):
    """d/dh of Σ(GM(h) − target)²: 4 (GM − target) M, reshaped like h."""
    m = h.reshape(h.shape[0], -1)
    return (4 * (m @ m.T - target) @ m).reshape(h.shape)


def style_step(content, style, generated, w1, b1, w2, b2, alpha, beta, lr):
    g = np.asarray(generated, dtype=float)
    c1 = conv_relu(content, w1, b1)
    c2 = conv_relu(c1, w2, b2)
    s1 = conv_relu(style, w1, b1)
    s2 = conv_relu(s1, w2, b2)
    h1 = conv_relu(g, w1, b1)
    h2 = conv_relu(h1, w2, b2)
    dh2 = alpha * (h2 - c2) + beta * gram_grad(h2, gram(s2))
    dz2 = dh2 * (h2 > 0)
    dh1 = conv_input_grad(dz2, w2, h1.shape) + beta * gram_grad(h1, gram(s1))
    dz1 = dh1 * (h1 > 0)
    grad = conv_input_grad(dz1, w1, g.shape)
    return g - lr * grad
