"""Object detection (lecture 6.10): IoU, YOLO cell encoding, non-max suppression.

Conventions: boxes are corners (x1, y1, x2, y2) in continuous coordinates (no
+1 pixel). YOLO boxes are (row, col, bx, by, bw, bh) on an S×S grid over the
unit image: the centre (cx, cy) lies in cell row = ⌊cy·S⌋, col = ⌊cx·S⌋
(clamped to S − 1), bx = cx·S − col and by = cy·S − row are in [0, 1), and
bw = w·S, bh = h·S are measured in cells (so they may exceed 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

SCORE_THRESHOLD = 0.6
IOU_THRESHOLD = 0.5


def _box(values: Sequence[float] | torch.Tensor) -> torch.Tensor:
    return torch.as_tensor(values, dtype=torch.float64).reshape(4)


def iou(box_a: Sequence[float], box_b: Sequence[float]) -> float:
    """Intersection over union of two boxes given as corners (x1, y1, x2, y2).

    Continuous coordinates (no +1 pixel), intersection sides clamped at zero so
    disjoint boxes give 0, and IoU defined as 0 when the union is empty.
    """
    a, b = _box(box_a), _box(box_b)
    width = (torch.minimum(a[2], b[2]) - torch.maximum(a[0], b[0])).clamp(min=0)
    height = (torch.minimum(a[3], b[3]) - torch.maximum(a[1], b[1])).clamp(min=0)
    intersection = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection
    if union <= 0:
        return 0.0
    return float(intersection / union)


def iou_matrix(boxes_a: object, boxes_b: object) -> torch.Tensor:
    """Pairwise IoU of (N, 4) and (M, 4) corner boxes, as an (N, M) tensor."""
    a = torch.as_tensor(boxes_a, dtype=torch.float64).reshape(-1, 4)
    b = torch.as_tensor(boxes_b, dtype=torch.float64).reshape(-1, 4)
    top_left = torch.maximum(a[:, None, :2], b[None, :, :2])
    bottom_right = torch.minimum(a[:, None, 2:], b[None, :, 2:])
    sides = (bottom_right - top_left).clamp(min=0)
    intersection = sides[..., 0] * sides[..., 1]
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = area_a[:, None] + area_b[None, :] - intersection
    return torch.where(union > 0, intersection / union.clamp(min=1e-300), 0.0)


def yolo_encode(
    box: Sequence[float], grid: int
) -> tuple[int, int, float, float, float, float]:
    """Encode a box (cx, cy, w, h), normalised to the unit image, for an S×S grid.

    Returns (row, col, bx, by, bw, bh): the responsible cell, the centre's
    offset inside it, and the size in cells.
    """
    cx, cy, w, h = (float(v) for v in box)
    col = min(int(cx * grid), grid - 1)
    row = min(int(cy * grid), grid - 1)
    return row, col, cx * grid - col, cy * grid - row, w * grid, h * grid


def yolo_decode(
    row: int, col: int, bx: float, by: float, bw: float, bh: float, grid: int
) -> tuple[float, float, float, float]:
    """Corners (x1, y1, x2, y2), normalised to the unit image, of a cell's box."""
    cx, cy = (col + bx) / grid, (row + by) / grid
    w, h = bw / grid, bh / grid
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def iou_yolo(box_a: Sequence[float], box_b: Sequence[float], grid: int) -> float:
    """IoU of two YOLO boxes, each (row, col, bx, by, bw, bh) on the same grid."""
    corners = []
    for row, col, bx, by, bw, bh in (box_a, box_b):
        corners.append(
            yolo_decode(
                int(row), int(col), float(bx), float(by), float(bw), float(bh), grid
            )
        )
    return iou(corners[0], corners[1])


@dataclass(frozen=True)
class NmsStep:
    """One round of NMS: the box kept, and the boxes it suppressed with their IoU."""

    kept: int
    suppressed: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class NmsTrace:
    below_threshold: tuple[int, ...]
    order: tuple[int, ...]
    steps: tuple[NmsStep, ...]

    @property
    def kept(self) -> list[int]:
        return [step.kept for step in self.steps]


def nms_trace(
    boxes: Sequence[Sequence[float]],
    scores: Sequence[float],
    score_threshold: float = SCORE_THRESHOLD,
    iou_threshold: float = IOU_THRESHOLD,
) -> NmsTrace:
    """Non-max suppression as in the notes, step by step.

    1. Drop boxes with pc < score_threshold (a box at exactly 0.6 stays).
    2. Order the rest by pc, highest first; ties keep the lower index first
       (a stable sort).
    3. Keep the first box; suppress every remaining box whose IoU with it is
       strictly greater than iou_threshold. 4. Repeat on what remains.
    Class-agnostic. Kept indices come out in the order they were kept.
    """
    box_tensor = torch.as_tensor(boxes, dtype=torch.float64).reshape(-1, 4)
    score_list = torch.as_tensor(scores, dtype=torch.float64).reshape(-1).tolist()
    below = tuple(i for i, pc in enumerate(score_list) if pc < score_threshold)
    candidates = [i for i, pc in enumerate(score_list) if pc >= score_threshold]
    order = sorted(candidates, key=lambda i: -score_list[i])  # stable
    # Every pair's IoU at once; then each round is one row, cut to the boxes
    # that remain (no tensor element read one at a time: linear in the rounds).
    overlaps = iou_matrix(box_tensor, box_tensor).numpy()
    remaining = np.asarray(order, dtype=np.int64)
    steps = []
    while remaining.size:
        best, rest = int(remaining[0]), remaining[1:]
        row = overlaps[best, rest]
        hit = row > iou_threshold
        suppressed = tuple(
            (int(j), float(value)) for j, value in zip(rest[hit], row[hit], strict=True)
        )
        remaining = rest[~hit]
        steps.append(NmsStep(best, suppressed))
    return NmsTrace(below, tuple(order), tuple(steps))


def nms(
    boxes: Sequence[Sequence[float]],
    scores: Sequence[float],
    score_threshold: float = SCORE_THRESHOLD,
    iou_threshold: float = IOU_THRESHOLD,
) -> list[int]:
    """Indices of the boxes NMS keeps, in the order kept (see `nms_trace`)."""
    return nms_trace(boxes, scores, score_threshold, iou_threshold).kept
