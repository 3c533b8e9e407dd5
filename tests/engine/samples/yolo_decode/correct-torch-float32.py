"""Correct: torch in float32, a (4,) tensor of corners."""

import torch


def yolo_decode(row, col, bx, by, bw, bh, grid):
    centre = (
        torch.tensor([col, row], dtype=torch.float32) + torch.tensor([bx, by])
    ) / grid
    size = torch.tensor([bw, bh]) / grid
    return torch.cat([centre - size / 2, centre + size / 2])
