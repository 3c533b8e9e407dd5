"""Wrong (named mistake iou-no-clamp): the intersection's sides are not clamped at
zero, so disjoint boxes get a positive or negative 'overlap'."""


def iou(box_a, box_b):
    width = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
    height = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
    inter = width * height
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return inter / (area_a + area_b - inter)
