"""Broken: divides each Gram matrix by its layer's number of positions H·W
(a normalisation the notes do not use)."""

import torch
import torch.nn.functional as F


def style_transfer_loss(content, style, generated, w1, b1, w2, b2, alpha, beta):
    w1, b1, w2, b2 = (torch.tensor(v, dtype=torch.float64) for v in (w1, b1, w2, b2))

    def layers(image):
        x = torch.tensor(image, dtype=torch.float64)[None]
        h1 = F.relu(F.conv2d(x, w1, b1))
        return h1[0], F.relu(F.conv2d(h1, w2, b2))[0]

    def gram(h):
        m = h.reshape(h.shape[0], -1)
        return m @ m.T / m.shape[1]

    c, s, g = layers(content), layers(style), layers(generated)
    content_loss = ((c[1] - g[1]) ** 2).sum()
    style_loss = sum(((gram(a) - gram(b)) ** 2).sum() for a, b in zip(s, g))
    return float(alpha * content_loss + beta * style_loss)
