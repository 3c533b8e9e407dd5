"""Correct: torch modules in float32 (the default dtype), weights copied in."""

import torch
from torch import nn


def style_transfer_loss(content, style, generated, w1, b1, w2, b2, alpha, beta):
    w1, b1, w2, b2 = (torch.tensor(v) for v in (w1, b1, w2, b2))
    conv1 = nn.Conv2d(w1.shape[1], w1.shape[0], w1.shape[2])
    conv2 = nn.Conv2d(w2.shape[1], w2.shape[0], w2.shape[2])
    with torch.no_grad():
        conv1.weight.copy_(w1)
        conv1.bias.copy_(b1)
        conv2.weight.copy_(w2)
        conv2.bias.copy_(b2)
    net = nn.Sequential(conv1, nn.ReLU(), conv2, nn.ReLU())

    def features(image):
        x = torch.tensor(image).unsqueeze(0)
        h1 = net[1](net[0](x))
        h2 = net[3](net[2](h1))
        return h1.squeeze(0), h2.squeeze(0)

    def gram(h):
        m = h.flatten(1)
        return m @ m.T

    with torch.no_grad():
        c, s, g = features(content), features(style), features(generated)
        l_content = torch.sum((c[1] - g[1]) ** 2)
        l_style = sum(torch.sum((gram(a) - gram(b)) ** 2) for a, b in zip(s, g))
    return (alpha * l_content + beta * l_style).item()
