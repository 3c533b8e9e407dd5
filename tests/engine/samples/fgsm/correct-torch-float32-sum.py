"""Correct: torch in float32 (the default dtype), a summed loss (same sign as the
mean), a model built from nn.Linear layers, and a float32 result."""

import torch
from torch import nn


def fgsm(x, y, w1, b1, w2, b2, epsilon, clamp):
    first = nn.Linear(len(w1[0]), len(w1))
    second = nn.Linear(len(w2[0]), len(w2))
    with torch.no_grad():
        first.weight.copy_(torch.tensor(w1))
        first.bias.copy_(torch.tensor(b1))
        second.weight.copy_(torch.tensor(w2))
        second.bias.copy_(torch.tensor(b2))
    model = nn.Sequential(first, nn.ReLU(), second).eval()
    images = torch.tensor(x, dtype=torch.float32)
    single = images.dim() == 1
    if single:
        images, y = images.unsqueeze(0), [y]
    images.requires_grad_(True)
    loss = nn.CrossEntropyLoss(reduction="sum")(model(images), torch.tensor(y))
    model.zero_grad()
    loss.backward()
    perturbed = images + epsilon * images.grad.sign()
    if clamp:
        perturbed = torch.clamp(perturbed, 0, 1)
    perturbed = perturbed.detach()
    return perturbed[0] if single else perturbed
