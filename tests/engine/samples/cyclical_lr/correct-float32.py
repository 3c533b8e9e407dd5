"""Correct: Smith's formula in torch's default float32 (torch.tensor of a
list of ints, then float())."""

import torch


def cyclical_lr(steps, lr_min, lr_max, step_size):
    t = torch.tensor(steps).float()
    cycle = torch.floor(1 + t / (2 * step_size))
    x = torch.abs(t / step_size - 2 * cycle + 1)
    return lr_min + (lr_max - lr_min) * torch.clamp(1 - x, min=0)
