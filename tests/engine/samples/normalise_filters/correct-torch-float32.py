"""Correct: torch float32, amin/amax over each filter's (C, k, k) values."""

import torch


def normalise_filters(weights):
    w = torch.tensor(weights, dtype=torch.float32)
    low = w.amin(dim=(1, 2, 3), keepdim=True)
    high = w.amax(dim=(1, 2, 3), keepdim=True)
    span = high - low
    scaled = (w - low) / torch.where(span == 0, torch.ones_like(span), span)
    return torch.where(span == 0, torch.zeros_like(w), scaled)
