"""Broken: maximises the mean of h² over the whole layer, every channel,
instead of the one unit's channel."""

import torch
import torch.nn.functional as F


def gradient_ascent_step(x, weight, bias, channel, lr):
    image = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(weight, dtype=torch.float64)
    b = torch.tensor(bias, dtype=torch.float64)
    h = F.relu(F.conv2d(image[None], w, b))[0]
    (h**2).mean().backward()
    return (image + lr * image.grad).detach().numpy()
