"""Correct: torch's default dtype, float32 end to end (torch.tensor of a
list), log1p(-p) for the negative term."""

import torch


def binary_cross_entropy(y, p):
    y = torch.tensor(y)
    p = torch.tensor(p)
    log_likelihood = y * torch.log(p) + (1 - y) * torch.log1p(-p)
    return -log_likelihood.mean()
