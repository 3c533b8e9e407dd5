"""Wrong (grad-ascent-image-unchanged): takes the gradient step on the
layer's weights and returns the image unchanged."""

import torch
import torch.nn.functional as F


def gradient_ascent_step(x, weight, bias, channel, lr):
    image = torch.tensor(x, dtype=torch.float64)
    w = torch.tensor(weight, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(bias, dtype=torch.float64, requires_grad=True)
    unit = F.relu(F.conv2d(image[None], w, b))[0, channel]
    (unit**2).mean().backward()
    with torch.no_grad():
        w += lr * w.grad
        b += lr * b.grad
    return image.numpy()
