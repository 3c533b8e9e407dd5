"""Broken: puts λ on the data term, λ‖φ(x) − φ(x₀)‖² + TV(x), instead of on
the prior."""

import torch
import torch.nn.functional as F


def reconstruction_objective(x, x0, weight, bias, lam, lr):
    w = torch.tensor(weight, dtype=torch.float64)
    b = torch.tensor(bias, dtype=torch.float64)
    image = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    target = F.relu(F.conv2d(torch.tensor(x0, dtype=torch.float64)[None], w, b))
    data = ((F.relu(F.conv2d(image[None], w, b)) - target) ** 2).sum()
    tv = (image[:, 1:, :] - image[:, :-1, :]).abs().sum() + (
        image[:, :, 1:] - image[:, :, :-1]
    ).abs().sum()
    energy = lam * data + tv
    energy.backward()
    return energy.item(), (image - lr * image.grad).detach().numpy()
