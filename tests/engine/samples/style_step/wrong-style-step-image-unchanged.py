"""Wrong (style-step-image-unchanged): trains the network instead of the
image: the weights take the gradient step and G comes back unchanged."""

import torch
import torch.nn.functional as F


def style_step(content, style, generated, w1, b1, w2, b2, alpha, beta, lr):
    params = [
        torch.tensor(v, dtype=torch.float64, requires_grad=True)
        for v in (w1, b1, w2, b2)
    ]
    w1, b1, w2, b2 = params

    def layers(image):
        x = torch.tensor(image, dtype=torch.float64)[None]
        h1 = F.relu(F.conv2d(x, w1, b1))
        return h1[0], F.relu(F.conv2d(h1, w2, b2))[0]

    def gram(h):
        m = h.reshape(h.shape[0], -1)
        return m @ m.T

    c, s, g = layers(content), layers(style), layers(generated)
    loss = alpha * ((c[1] - g[1]) ** 2).sum() + beta * sum(
        ((gram(a) - gram(b)) ** 2).sum() for a, b in zip(s, g)
    )
    optimiser = torch.optim.SGD(params, lr=lr)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return torch.tensor(generated, dtype=torch.float64)
