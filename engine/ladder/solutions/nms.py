"""Non-maximum suppression: candidates best first, then keep one, drop its duplicates, repeat."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="nms",
    entry_point="nms",
    source="""
import numpy as np


def nms(boxes, scores):
    # § Candidates, most confident first
    boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)  # why: one (N, 4) array lets a line work on many boxes at once, also when N = 0
    order = [i for i in np.argsort(-np.asarray(scores), kind="stable") if scores[i] >= 0.6]  # why: a stable sort of −pc puts the most confident first and keeps equal pc in index order; boxes under 0.6 never compete
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])  # why: every box's area, computed once for all the IoUs below
    kept = []  # why: the kept indices, in the order they are chosen
    # § Keep the best remaining box
    while order:  # why: each round keeps one box, so the loop ends when no candidate is left
        best = order.pop(0)  # why: the first remaining candidate is the most confident one left
        kept.append(int(best))  # why: no kept box overlaps it too much, or an earlier round would have dropped it
        # § IoU of the kept box with every remaining one
        x1 = np.maximum(boxes[best, 0], boxes[order, 0])  # why: the overlaps' left edges: the larger x1 of each pair
        y1 = np.maximum(boxes[best, 1], boxes[order, 1])  # why: the same along y
        x2 = np.minimum(boxes[best, 2], boxes[order, 2])  # why: the overlaps' right edges: the smaller x2 of each pair
        y2 = np.minimum(boxes[best, 3], boxes[order, 3])  # why: the same along y
        inter = np.maximum(0.0, x2 - x1) * np.maximum(0.0, y2 - y1)  # why: each side clamped at 0, so boxes apart overlap by nothing
        overlap = inter / (areas[best] + areas[order] - inter)  # why: intersection over union, one value per remaining candidate
        # § Drop the duplicates
        order = [j for j, iou in zip(order, overlap) if iou <= 0.5]  # why: only an IoU above 0.5 makes a duplicate; the rest stay candidates, still best first
    # § The kept boxes
    return kept  # why: the indices in the order they were kept, which is by confidence
""",
    blanks=(
        BlankSpec(
            "iou <= 0.5",
            "which remaining boxes survive this round",
            ("nms-suppress-at-threshold",),
        ),
        BlankSpec(
            "scores[i] >= 0.6",
            "which boxes are confident enough to be candidates",
            ("nms-drop-at-threshold", "nms-no-threshold"),
        ),
        BlankSpec(
            'np.argsort(-np.asarray(scores), kind="stable")',
            "the box indices from the most to the least confident, ties by index",
            ("nms-no-sort",),
        ),
    ),
    distractors=(
        DistractorSpec(
            'order = [i for i in np.argsort(-np.asarray(scores), kind="stable") if scores[i] >= 0.6]',
            'order = [i for i in np.argsort(-np.asarray(scores), kind="stable") if scores[i] > 0.6]',
            "nms-drop-at-threshold",
        ),
        DistractorSpec(
            "order = [j for j, iou in zip(order, overlap) if iou <= 0.5]",
            "order = [j for j, iou in zip(order, overlap) if iou < 0.5]",
            "nms-suppress-at-threshold",
        ),
        DistractorSpec("return kept", "return sorted(kept)", "nms-index-order"),
    ),
)
