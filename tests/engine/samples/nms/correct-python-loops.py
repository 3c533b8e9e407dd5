"""Correct: plain Python, a helper IoU, an explicit list of candidates, and
prints of each round (own parameter names)."""


def box_iou(first, second):
    left, right = max(first[0], second[0]), min(first[2], second[2])
    top, bottom = max(first[1], second[1]), min(first[3], second[3])
    inter = max(0.0, right - left) * max(0.0, bottom - top)
    area1 = (first[2] - first[0]) * (first[3] - first[1])
    area2 = (second[2] - second[0]) * (second[3] - second[1])
    return inter / (area1 + area2 - inter)


def nms(detections, confidences):
    candidates = [i for i in range(len(confidences)) if confidences[i] >= 0.6]
    candidates.sort(key=lambda i: confidences[i], reverse=True)  # stable
    result = []
    while len(candidates) > 0:
        chosen = candidates[0]
        result.append(chosen)
        candidates = [
            other
            for other in candidates[1:]
            if box_iou(detections[chosen], detections[other]) <= 0.5
        ]
        print("kept", chosen, "left", candidates)
    return result
