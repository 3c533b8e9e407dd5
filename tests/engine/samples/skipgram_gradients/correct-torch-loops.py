"""Correct: torch float32, one word at a time, no autograd; returns lists of
rows stacked into tensors."""

import torch


def skipgram_gradients(target, contexts, noises):
    t = torch.as_tensor(target, dtype=torch.float32)
    grad_t = torch.zeros_like(t)
    grad_c, grad_n = [], []
    for c in torch.as_tensor(contexts, dtype=torch.float32):
        weight = torch.sigmoid(-(t @ c))  # 1 - sigma(t.c)
        grad_t += weight * c
        grad_c.append(weight * t)
    for n in torch.as_tensor(noises, dtype=torch.float32):
        weight = torch.sigmoid(t @ n)
        grad_t -= weight * n
        grad_n.append(-weight * t)
    return grad_t, torch.stack(grad_c), torch.stack(grad_n)
