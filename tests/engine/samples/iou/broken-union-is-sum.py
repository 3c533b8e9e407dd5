"""Broken: the union is taken as |A| + |B|, without subtracting the intersection
(counted twice), so identical boxes give 0.5 instead of 1."""


def iou(box_a, box_b):
    w = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
    h = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return w * h / (area_a + area_b)
