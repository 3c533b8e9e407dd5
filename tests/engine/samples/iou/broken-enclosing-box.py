"""Broken: min and max swapped when building the intersection, which gives the
smallest box enclosing both instead of their overlap."""


def iou(box_a, box_b):
    w = max(0.0, max(box_a[2], box_b[2]) - min(box_a[0], box_b[0]))
    h = max(0.0, max(box_a[3], box_b[3]) - min(box_a[1], box_b[1]))
    inter = w * h
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return inter / (area_a + area_b - inter)
