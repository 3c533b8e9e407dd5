"""Correct: torch in float32, clamped sides, a tiny epsilon in the denominator
(as many detection libraries write it)."""

import torch


def iou(box_a, box_b):
    a = torch.tensor(box_a, dtype=torch.float32)
    b = torch.tensor(box_b, dtype=torch.float32)
    top_left = torch.maximum(a[:2], b[:2])
    bottom_right = torch.minimum(a[2:], b[2:])
    sides = (bottom_right - top_left).clamp(min=0)
    inter = sides[0] * sides[1]
    area = lambda box: (box[2] - box[0]) * (box[3] - box[1])  # noqa: E731
    return (inter / (area(a) + area(b) - inter + 1e-9)).item()
