"""Broken: maximises ½·mean(h²), the "½ MSE" of some textbooks, which halves
the step."""

import torch
import torch.nn.functional as F


def gradient_ascent_step(x, weight, bias, channel, lr):
    image = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    w = torch.tensor(weight, dtype=torch.float64)
    b = torch.tensor(bias, dtype=torch.float64)
    unit = F.relu(F.conv2d(image[None], w, b))[0, channel]
    loss = 0.5 * (unit**2).mean()
    loss.backward()
    return (image + lr * image.grad).detach().numpy()
