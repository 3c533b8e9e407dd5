"""Broken: the L2 "fast gradient method", x + ε·∇/‖∇‖, instead of the sign of the
gradient: the values do not all move by ε."""

import torch
import torch.nn.functional as F


def fgsm(x, y, w1, b1, w2, b2, epsilon, clamp):
    x = torch.tensor(x, dtype=torch.float64)
    w1, b1, w2, b2 = (torch.tensor(v, dtype=torch.float64) for v in (w1, b1, w2, b2))
    batch = x.reshape(-1, x.shape[-1]).clone().requires_grad_(True)
    labels = torch.tensor(y).reshape(-1)
    loss = F.cross_entropy(F.linear(F.relu(F.linear(batch, w1, b1)), w2, b2), labels)
    (grad,) = torch.autograd.grad(loss, batch)
    norm = grad.norm(dim=1, keepdim=True).clamp(min=1e-12)
    adversarial = batch + epsilon * grad / norm
    if clamp:
        adversarial = adversarial.clamp(0, 1)
    return adversarial.detach().reshape(x.shape)
