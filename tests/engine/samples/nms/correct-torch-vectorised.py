"""Correct: torch in float32 with a pairwise IoU matrix and a boolean mask of
suppressed boxes; returns an int64 tensor."""

import torch


def nms(boxes, scores):
    boxes = torch.as_tensor(boxes, dtype=torch.float32).reshape(-1, 4)
    scores = torch.as_tensor(scores, dtype=torch.float32)
    top_left = torch.maximum(boxes[:, None, :2], boxes[None, :, :2])
    bottom_right = torch.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    wh = (bottom_right - top_left).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    ious = inter / (area[:, None] + area[None, :] - inter)
    order = torch.sort(scores, descending=True, stable=True).indices
    order = order[scores[order] >= 0.6]
    suppressed = torch.zeros(len(scores), dtype=torch.bool)
    keep = []
    for i in order.tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        suppressed |= ious[i] > 0.5
    return torch.tensor(keep, dtype=torch.int64)
