"""Correct: plain Python with helper functions and a debugging print."""


def overlap_1d(lo_a, hi_a, lo_b, hi_b):
    """Length of the overlap of two intervals, 0 when they are apart."""
    return max(0.0, min(hi_a, hi_b) - max(lo_a, lo_b))


def area(box):
    x1, y1, x2, y2 = box
    return (x2 - x1) * (y2 - y1)


def iou(box_a, box_b):
    inter = overlap_1d(box_a[0], box_a[2], box_b[0], box_b[2]) * overlap_1d(
        box_a[1], box_a[3], box_b[1], box_b[3]
    )
    union = area(box_a) + area(box_b) - inter
    print("intersection", inter, "union", union)
    if union <= 0:
        return 0.0
    return inter / union
