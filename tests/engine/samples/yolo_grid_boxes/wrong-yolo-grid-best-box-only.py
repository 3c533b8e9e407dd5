"""Wrong (yolo-grid-best-box-only): keeps per cell only the box with the larger
pc, the other one is never scored."""

import numpy as np


def yolo_grid_boxes(output, threshold):
    out = np.asarray(output, dtype=float)
    S = out.shape[0]
    boxes, scores, labels = [], [], []
    for i in range(S):
        for j in range(S):
            two = out[i, j, :10].reshape(2, 5)
            pc, bx, by, bw, bh = two[np.argmax(two[:, 0])]
            probs = out[i, j, 10:]
            score = pc * probs.max()
            if score >= threshold:
                cx, cy, w, h = (j + bx) / S, (i + by) / S, bw / S, bh / S
                boxes.append([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2])
                scores.append(score)
                labels.append(int(np.argmax(probs)))
    order = np.argsort(-np.array(scores), kind="stable")
    return (
        np.array(boxes).reshape(-1, 4)[order],
        np.array(scores)[order],
        np.array(labels, dtype=int)[order],
    )
