"""Broken: the IoU inside NMS does not clamp the intersection's sides at zero, so
two disjoint boxes placed diagonally have 'IoU' 1 and one is suppressed."""


def nms(boxes, scores):
    def iou(a, b):
        inter = (min(a[2], b[2]) - max(a[0], b[0])) * (
            min(a[3], b[3]) - max(a[1], b[1])
        )
        union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
        return inter / union

    remaining = sorted(
        [i for i, s in enumerate(scores) if s >= 0.6], key=lambda i: -scores[i]
    )
    kept = []
    while remaining:
        top = remaining.pop(0)
        kept.append(top)
        remaining = [j for j in remaining if iou(boxes[top], boxes[j]) <= 0.5]
    return kept
