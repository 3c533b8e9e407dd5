"""Broken: one round only: every box is compared with the most confident box and
nothing else, so a second object's duplicates all survive."""

import numpy as np


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / (
        (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    )


def nms(boxes, scores):
    order = [
        i for i in np.argsort(-np.asarray(scores), kind="stable") if scores[i] >= 0.6
    ]
    if not order:
        return []
    best = int(order[0])
    return [best] + [int(j) for j in order[1:] if iou(boxes[best], boxes[j]) <= 0.5]
