"""Correct: torch, a counter-clockwise quarter turn as transpose then flip of
the rows; returns tensors."""

import torch


def ccw(x):
    return torch.flip(x.transpose(-1, -2), dims=(-2,))


def rotation_pretext(images):
    batch = torch.tensor(images, dtype=torch.float64)
    turns = [batch]
    for _ in range(3):
        turns.append(ccw(turns[-1]))
    rotated = torch.stack(turns, dim=1).flatten(0, 1)  # (N, 4, ...) -> (4N, ...)
    labels = torch.arange(4).repeat(batch.shape[0])
    return rotated, labels
