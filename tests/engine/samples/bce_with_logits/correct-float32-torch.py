"""Correct: the stable form in torch's default float32 (torch.tensor of a
list), log(1 + e^-|z|) written with log1p."""

import torch


def bce_with_logits(y, z):
    y, z = torch.tensor(y), torch.tensor(z)
    terms = z.clamp(min=0) - z * y + torch.log1p(torch.exp(-z.abs()))
    return terms.mean()
