"""Correct: torch.flip on the width axis, in float32 (the values are exact)."""

import torch


def horizontal_flip(image):
    pixels = torch.tensor(image, dtype=torch.float32)
    flipped = torch.flip(pixels, dims=[pixels.dim() - 1])
    print("flipped an image of shape", tuple(flipped.shape))
    return flipped
