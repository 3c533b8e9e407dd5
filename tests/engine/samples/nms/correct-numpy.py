"""Correct: plain NumPy, stable sort by confidence, strict > 0.5 suppression."""

import numpy as np


def nms(boxes, scores):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] >= 0.6]
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    kept = []
    while order:
        best = order.pop(0)
        kept.append(int(best))
        survivors = []
        for j in order:
            w = max(
                0.0, min(boxes[best, 2], boxes[j, 2]) - max(boxes[best, 0], boxes[j, 0])
            )
            h = max(
                0.0, min(boxes[best, 3], boxes[j, 3]) - max(boxes[best, 1], boxes[j, 1])
            )
            inter = w * h
            if inter / (areas[best] + areas[j] - inter) <= 0.5:
                survivors.append(j)
        order = survivors
    return kept
