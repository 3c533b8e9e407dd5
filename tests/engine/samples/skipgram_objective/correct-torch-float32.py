"""Correct: torch float32 with F.logsigmoid, one term per word, summed."""

import torch
from torch.nn import functional as F


def skipgram_objective(target, contexts, noises):
    t = torch.as_tensor(target, dtype=torch.float32)
    c = torch.as_tensor(contexts, dtype=torch.float32)
    n = torch.as_tensor(noises, dtype=torch.float32)
    return (F.logsigmoid(c @ t).sum() + F.logsigmoid(-(n @ t)).sum()).item()
