"""Correct: vectorised NumPy over the whole grid, a stable sort by score."""

import numpy as np


def yolo_grid_boxes(output, threshold):
    out = np.asarray(output, dtype=float)
    S = out.shape[0]
    boxes = out[..., :10].reshape(S, S, 2, 5)
    probs = out[..., 10:]
    scores = boxes[..., 0] * probs.max(axis=-1, keepdims=True)
    labels = np.broadcast_to(probs.argmax(axis=-1)[..., None], scores.shape)
    rows, cols = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
    cx = (cols[..., None] + boxes[..., 1]) / S
    cy = (rows[..., None] + boxes[..., 2]) / S
    w, h = boxes[..., 3] / S, boxes[..., 4] / S
    corners = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], axis=-1)
    keep = scores >= threshold
    order = np.argsort(-scores[keep], kind="stable")
    return corners[keep][order], scores[keep][order], labels[keep][order]
