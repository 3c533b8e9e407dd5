"""Wrong (named mistake iou-plus-one): Pascal VOC's +1 pixel convention."""


def iou(box_a, box_b):
    width = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]) + 1)
    height = max(0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]) + 1)
    inter = width * height
    area_a = (box_a[2] - box_a[0] + 1) * (box_a[3] - box_a[1] + 1)
    area_b = (box_b[2] - box_b[0] + 1) * (box_b[3] - box_b[1] + 1)
    return inter / (area_a + area_b - inter)
