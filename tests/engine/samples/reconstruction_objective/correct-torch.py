"""Correct: torch autograd of the objective with the anisotropic TV prior."""

import torch
import torch.nn.functional as F


def t(v):
    return torch.tensor(v, dtype=torch.float64)


def reconstruction_objective(x, x0, weight, bias, lam, lr):
    w, b = t(weight), t(bias)
    image = t(x).requires_grad_(True)
    target = F.relu(F.conv2d(t(x0)[None], w, b))
    data = ((F.relu(F.conv2d(image[None], w, b)) - target) ** 2).sum()
    tv = (image[:, 1:, :] - image[:, :-1, :]).abs().sum() + (
        image[:, :, 1:] - image[:, :, :-1]
    ).abs().sum()
    energy = data + lam * tv
    energy.backward()
    return energy.item(), (image - lr * image.grad).detach()
