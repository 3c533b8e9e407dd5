"""Wrong (yolo-grid-row-col-swapped): the first grid index is taken as the
column, so x comes from the row and y from the column."""

import numpy as np


def yolo_grid_boxes(output, threshold):
    out = np.asarray(output, dtype=float)
    S = out.shape[0]
    b = out[..., :10].reshape(S, S, 2, 5)
    probs = out[..., 10:]
    scores = b[..., 0] * probs.max(-1, keepdims=True)
    x_index, y_index = np.meshgrid(np.arange(S), np.arange(S), indexing="ij")
    cx = (x_index[..., None] + b[..., 1]) / S
    cy = (y_index[..., None] + b[..., 2]) / S
    w, h = b[..., 3] / S, b[..., 4] / S
    corners = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)
    labels = np.stack([probs.argmax(-1)] * 2, -1)
    keep = scores >= threshold
    order = np.argsort(-scores[keep], kind="stable")
    return corners[keep][order], scores[keep][order], labels[keep][order]
