"""Wrong (yolo-grid-classes-first): reads the cell as the 'YOLO v1 from
scratch' tutorial lays it out, the K classes first and the two boxes after."""

import numpy as np


def yolo_grid_boxes(output, threshold):
    out = np.asarray(output, dtype=float)
    S, depth = out.shape[0], out.shape[2]
    K = depth - 10
    probs = out[..., :K]
    boxes = out[..., K:].reshape(S, S, 2, 5)
    scores = boxes[..., 0] * probs.max(-1)[..., None]
    labels = np.repeat(probs.argmax(-1)[..., None], 2, axis=-1)
    rows, cols = np.indices((S, S))
    cx = (cols[..., None] + boxes[..., 1]) / S
    cy = (rows[..., None] + boxes[..., 2]) / S
    w, h = boxes[..., 3] / S, boxes[..., 4] / S
    xyxy = np.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], -1)
    keep = scores >= threshold
    order = np.argsort(-scores[keep], kind="stable")
    return xyxy[keep][order], scores[keep][order], labels[keep][order]
