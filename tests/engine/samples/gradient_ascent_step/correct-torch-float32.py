"""Correct: float32 autograd through F.mse_loss against zeros (the notes'
"MSE of the layer output")."""

import torch
import torch.nn.functional as F


def gradient_ascent_step(x, weight, bias, channel, lr):
    image = torch.tensor(x, dtype=torch.float32).requires_grad_()
    out = F.relu(F.conv2d(image.unsqueeze(0), torch.tensor(weight), torch.tensor(bias)))
    unit = out[0, channel]
    activation = F.mse_loss(unit, torch.zeros_like(unit))
    (grad,) = torch.autograd.grad(activation, image)
    return (image + lr * grad).detach()
