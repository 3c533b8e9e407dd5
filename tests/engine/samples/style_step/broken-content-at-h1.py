"""Broken: the content term compares h1 instead of h2."""

import torch
import torch.nn.functional as F


def t(v):
    return torch.tensor(v, dtype=torch.float64)


def style_step(content, style, generated, w1, b1, w2, b2, alpha, beta, lr):
    w1, b1, w2, b2 = t(w1), t(b1), t(w2), t(b2)

    def layers(image):
        h1 = F.relu(F.conv2d(image[None], w1, b1))
        return h1[0], F.relu(F.conv2d(h1, w2, b2))[0]

    def gram(h):
        m = h.reshape(h.shape[0], -1)
        return m @ m.T

    c, s = layers(t(content)), layers(t(style))
    g = t(generated).requires_grad_(True)
    h = layers(g)
    loss = alpha * ((c[0] - h[0]) ** 2).sum() + beta * sum(
        ((gram(a) - gram(b)) ** 2).sum() for a, b in zip(s, h)
    )
    loss.backward()
    return (g - lr * g.grad).detach().numpy()
