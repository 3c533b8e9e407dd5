"""Correct: torch tensors in float32 (torch's default dtype), floor and clamp,
returning plain Python numbers."""

import torch


def yolo_encode(box, grid):
    cx, cy, w, h = torch.tensor(box)  # float32
    col = int(torch.clamp(torch.floor(cx * grid), max=grid - 1))
    row = int(torch.clamp(torch.floor(cy * grid), max=grid - 1))
    bx = cx * grid - col
    by = cy * grid - row
    return row, col, bx.item(), by.item(), (w * grid).item(), (h * grid).item()
