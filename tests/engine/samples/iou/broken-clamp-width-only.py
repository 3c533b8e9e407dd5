"""Broken: only the intersection's width is clamped at zero, not its height, so
boxes one above the other (apart in y, overlapping in x) get a negative IoU."""


def iou(box_a, box_b):
    ax1, ay1, ax2, ay2 = box_a
    bx1, by1, bx2, by2 = box_b
    inter_w = max(0.0, min(ax2, bx2) - max(ax1, bx1))
    inter_h = min(ay2, by2) - max(ay1, by1)
    inter = inter_w * inter_h
    union = (ax2 - ax1) * (ay2 - ay1) + (bx2 - bx1) * (by2 - by1) - inter
    return inter / union
