"""Wrong (nms-suppressed-still-suppress): "Fast NMS": a box is dropped when any
more confident box overlaps it, even one that was itself suppressed."""

import numpy as np


def pairwise_iou(boxes):
    tl = np.maximum(boxes[:, None, :2], boxes[None, :, :2])
    br = np.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    wh = np.clip(br - tl, 0, None)
    inter = wh[..., 0] * wh[..., 1]
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / (area[:, None] + area[None, :] - inter)


def nms(boxes, scores):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    order = np.array(
        [i for i in np.argsort(-scores, kind="stable") if scores[i] >= 0.6], dtype=int
    )
    if len(order) == 0:
        return []
    ious = np.triu(pairwise_iou(boxes[order]), k=1)  # IoU with every earlier box
    keep = ious.max(axis=0) <= 0.5
    return order[keep].tolist()
