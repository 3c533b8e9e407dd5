"""Correct: torch's default float32 (torch.tensor of a list), plain slicing
of the last two axes."""

import torch


def crop(image, top, left, height, width):
    t = torch.tensor(image)
    return t[..., top : top + height, left : left + width]
