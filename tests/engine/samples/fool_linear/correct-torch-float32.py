"""Correct: torch in float32, broadcasting w over the rows, returns a tensor."""

import torch


def fool_linear(x, w, alpha):
    inputs = torch.tensor(x, dtype=torch.float32)
    weights = torch.tensor(w, dtype=torch.float32)
    return inputs + alpha * weights
