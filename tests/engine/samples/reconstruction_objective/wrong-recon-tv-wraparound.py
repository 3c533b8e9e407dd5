"""Wrong (recon-tv-wraparound): np.roll-style differences wrap the last row onto the first."""

import torch
import torch.nn.functional as F


def t(v):
    return torch.tensor(v, dtype=torch.float64)


def reconstruction_objective(x, x0, weight, bias, lam, lr):
    w, b = t(weight), t(bias)
    image = t(x).requires_grad_(True)
    target = F.relu(F.conv2d(t(x0)[None], w, b))
    data = ((F.relu(F.conv2d(image[None], w, b)) - target) ** 2).sum()
    tv = (torch.roll(image, -1, 1) - image).abs().sum() + (
        torch.roll(image, -1, 2) - image
    ).abs().sum()
    energy = data + lam * tv
    energy.backward()
    return energy.item(), (image - lr * image.grad).detach()
