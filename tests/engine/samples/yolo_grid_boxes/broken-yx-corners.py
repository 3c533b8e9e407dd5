"""Broken: returns the corners as (y1, x1, y2, x2), the order TensorFlow's
non_max_suppression takes (and the Coursera assignment's
yolo_boxes_to_corners returns)."""

import numpy as np


def yolo_grid_boxes(output, threshold):
    out = np.asarray(output, dtype=float)
    S = out.shape[0]
    boxes = out[..., :10].reshape(S, S, 2, 5)
    probs = out[..., 10:]
    scores = boxes[..., 0] * probs.max(-1)[..., None]
    rows, cols = np.indices((S, S))
    cx = (cols[..., None] + boxes[..., 1]) / S
    cy = (rows[..., None] + boxes[..., 2]) / S
    w, h = boxes[..., 3] / S, boxes[..., 4] / S
    yxyx = np.stack([cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2], -1)
    labels = np.repeat(probs.argmax(-1)[..., None], 2, -1)
    keep = scores >= threshold
    order = np.argsort(-scores[keep], kind="stable")
    return yxyx[keep][order], scores[keep][order], labels[keep][order]
