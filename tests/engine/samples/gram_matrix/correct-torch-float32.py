"""Correct: torch in its default float32, M = features.view(C, -1), GM = M Mᵀ."""

import torch


def gram_matrix(features):
    f = torch.tensor(features, dtype=torch.float32)
    m = f.view(f.shape[0], -1)
    return torch.mm(m, m.t())
