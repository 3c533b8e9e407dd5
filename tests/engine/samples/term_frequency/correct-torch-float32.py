"""Correct: float32 torch counts divided by the document length."""

import torch


def term_frequency(tokens, vocabulary):
    counts = torch.tensor([tokens.count(w) for w in vocabulary], dtype=torch.float32)
    return counts / len(tokens)
