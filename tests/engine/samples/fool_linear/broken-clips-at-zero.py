"""Broken: negative values are set to 0 (torch.relu on the result), values above
1 are left alone: a one-sided clip the notes do not ask for."""

import torch


def fool_linear(x, w, alpha):
    x = torch.tensor(x, dtype=torch.float64)
    w = torch.tensor(w, dtype=torch.float64)
    return torch.relu(x + alpha * w)
