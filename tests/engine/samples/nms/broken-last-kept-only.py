"""Broken: each box is compared only with the last box kept, not with every kept
box, so a duplicate of an earlier object survives once another box was kept."""


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    return inter / (
        (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    )


def nms(boxes, scores):
    order = sorted(
        (i for i in range(len(scores)) if scores[i] >= 0.6), key=lambda i: -scores[i]
    )
    keep = []
    for i in order:
        if not keep or iou(boxes[keep[-1]], boxes[i]) <= 0.5:
            keep.append(i)
    return keep
