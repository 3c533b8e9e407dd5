"""Broken: only the intersection's height is clamped at zero, not its width, so
boxes side by side (apart in x, overlapping in y) get a negative IoU."""

import numpy as np


def iou(box_a, box_b):
    a = np.asarray(box_a, dtype=float)
    b = np.asarray(box_b, dtype=float)
    w = np.minimum(a[2], b[2]) - np.maximum(a[0], b[0])
    h = np.clip(np.minimum(a[3], b[3]) - np.maximum(a[1], b[1]), 0, None)
    inter = w * h
    area_a = (a[2] - a[0]) * (a[3] - a[1])
    area_b = (b[2] - b[0]) * (b[3] - b[1])
    return float(inter / (area_a + area_b - inter))
