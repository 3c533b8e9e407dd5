"""Wrong (nms-plus-one): IoU with the +1 pixel convention of old Pascal VOC code
(py_cpu_nms), although the boxes are continuous coordinates."""

import numpy as np


def nms(boxes, scores):
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
    scores = np.asarray(scores, dtype=float)
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1 + 1) * (y2 - y1 + 1)
    order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[i] >= 0.6]
    keep = []
    while order:
        i = order.pop(0)
        keep.append(i)
        rest = np.array(order, dtype=int)
        w = np.maximum(
            0.0, np.minimum(x2[i], x2[rest]) - np.maximum(x1[i], x1[rest]) + 1
        )
        h = np.maximum(
            0.0, np.minimum(y2[i], y2[rest]) - np.maximum(y1[i], y1[rest]) + 1
        )
        inter = w * h
        ovr = inter / (areas[i] + areas[rest] - inter)
        order = [int(j) for j in rest[ovr <= 0.5]]
    return keep
