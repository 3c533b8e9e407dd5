"""Broken: the data term is the norm ‖φ(x) − φ(x₀)‖, not its square."""

import torch
import torch.nn.functional as F


def reconstruction_objective(x, x0, weight, bias, lam, lr):
    w = torch.tensor(weight, dtype=torch.float64)
    b = torch.tensor(bias, dtype=torch.float64)
    image = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    target = F.relu(F.conv2d(torch.tensor(x0, dtype=torch.float64)[None], w, b))
    data = torch.linalg.norm(F.relu(F.conv2d(image[None], w, b)) - target)
    tv = (image[:, 1:, :] - image[:, :-1, :]).abs().sum() + (
        image[:, :, 1:] - image[:, :, :-1]
    ).abs().sum()
    energy = data + lam * tv
    energy.backward()
    return energy.item(), (image - lr * image.grad).detach().numpy()
