"""Wrong (grad-ascent-no-relu): torch autograd on the pre-activation, ReLU left out."""

import torch
import torch.nn.functional as F


def gradient_ascent_step(x, weight, bias, channel, lr):
    x = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(weight, dtype=torch.float64)
    b = torch.tensor(bias, dtype=torch.float64)
    z = F.conv2d(x[None], w, b)[0, channel]
    (z**2).mean().backward()
    return (x + lr * x.grad).detach()
