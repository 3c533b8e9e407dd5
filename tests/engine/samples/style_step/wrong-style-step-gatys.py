"""Wrong (style-step-gatys): torch autograd with Gatys' 1/(4N²M²) style factor."""

import torch
import torch.nn.functional as F


def t(v):
    return torch.tensor(v, dtype=torch.float64)


def style_step(content, style, generated, w1, b1, w2, b2, alpha, beta, lr):
    w1, b1, w2, b2 = t(w1), t(b1), t(w2), t(b2)

    def layers(image):
        h1 = F.relu(F.conv2d(image[None], w1, b1))
        h2 = F.relu(F.conv2d(h1, w2, b2))
        return h1[0], h2[0]

    def gram(h):
        m = h.reshape(h.shape[0], -1)
        return m @ m.T

    c = [v.detach() for v in layers(t(content))]
    s = [v.detach() for v in layers(t(style))]
    g = t(generated).requires_grad_(True)
    h = layers(g)
    style_loss = 0
    for a, b in zip(s, h):
        n, m = b.shape[0], b.shape[1] * b.shape[2]
        style_loss = style_loss + ((gram(a) - gram(b)) ** 2).sum() / (4 * n**2 * m**2)
    loss = alpha * ((c[1] - h[1]) ** 2).sum() + beta * style_loss
    loss.backward()
    return (g - lr * g.grad).detach()
