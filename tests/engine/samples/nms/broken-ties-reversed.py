"""Broken: scores.argsort()[::-1] (as in py_cpu_nms) puts the HIGHER index first
among equal scores, so the wrong box of a tied pair is kept."""

import numpy as np


def nms(boxes, scores):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    order = [int(i) for i in scores.argsort()[::-1] if scores[i] >= 0.6]
    keep = []
    while order:
        i = order.pop(0)
        keep.append(i)
        rest = np.array(order, dtype=int)
        w = np.maximum(0.0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]))
        h = np.maximum(0.0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]))
        inter = w * h
        order = [int(j) for j in rest[inter / (areas[i] + areas[rest] - inter) <= 0.5]]
    return keep
