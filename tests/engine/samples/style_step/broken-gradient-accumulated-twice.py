"""Broken: calls backward() once to look at the gradient norm and once more for the
step without zeroing G.grad in between, so the step uses twice the gradient."""

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

    def total(g):
        c, s, h = layers(t(content)), layers(t(style)), layers(g)
        return alpha * ((c[1] - h[1]) ** 2).sum() + beta * sum(
            ((gram(a) - gram(b)) ** 2).sum() for a, b in zip(s, h)
        )

    g = t(generated).requires_grad_(True)
    total(g).backward()
    first_norm = g.grad.norm().item()  # noqa: F841 - only looked at
    total(g).backward()  # G.grad was never zeroed: it now holds twice the gradient
    with torch.no_grad():
        return (g - lr * g.grad).numpy()
