"""Correct: torch in float32, returning a tensor."""

import torch


def noise_distribution(counts):
    weights = torch.tensor(counts, dtype=torch.float32).pow(0.75)
    return weights / weights.sum()
