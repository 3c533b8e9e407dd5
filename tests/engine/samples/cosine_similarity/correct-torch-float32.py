"""Correct: float32 torch tensors; returns a 0-d tensor."""

import torch


def cosine_similarity(a, b):
    x = torch.as_tensor(a, dtype=torch.float32)
    y = torch.as_tensor(b, dtype=torch.float32)
    lengths = torch.linalg.vector_norm(x) * torch.linalg.vector_norm(y)
    if lengths == 0:
        return torch.tensor(0.0)
    return torch.dot(x, y) / lengths
