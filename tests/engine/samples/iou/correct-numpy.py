"""Correct: plain NumPy, clamped intersection, union guarded against zero."""

import numpy as np


def iou(box_a, box_b):
    a = np.asarray(box_a, dtype=float)
    b = np.asarray(box_b, dtype=float)
    width = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return float(inter / union) if union > 0 else 0.0
