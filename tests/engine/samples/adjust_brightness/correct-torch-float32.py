"""Correct: torch in float32 with clamp; the graded values are multiples of
1/16, which float32 holds exactly."""

import torch


def adjust_brightness(image, delta):
    pixels = torch.tensor(image, dtype=torch.float32)
    return torch.clamp(pixels + delta, min=0.0, max=1.0)
