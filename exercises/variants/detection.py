"""Variants for lecture 6.10: IoU of two boxes, an NMS trace, YOLO cell encoding
and decoding."""

from __future__ import annotations

import itertools
import string
from typing import Any

import numpy as np

from engine.reference import detection
from exercises.variants import Variant, generator


def _overlapping_pair(rng: np.random.Generator) -> tuple[list[int], list[int], float]:
    while True:
        x1, y1, w, h, bw, bh = (
            int(v) for v in rng.integers([0, 0, 3, 3, 3, 3], [8, 8, 9, 9, 9, 9])
        )
        # Offsets that keep the two intervals overlapping on both axes.
        dx = int(rng.integers(-bw + 1, w))
        dy = int(rng.integers(-bh + 1, h))
        a = [x1, y1, x1 + w, y1 + h]
        b = [x1 + dx, y1 + dy, x1 + dx + bw, y1 + dy + bh]
        shift_x, shift_y = -min(0, b[0]), -min(0, b[1])  # keep coordinates non-negative
        a = [a[0] + shift_x, a[1] + shift_y, a[2] + shift_x, a[3] + shift_y]
        b = [b[0] + shift_x, b[1] + shift_y, b[2] + shift_x, b[3] + shift_y]
        overlap = detection.iou(a, b)
        if 0.05 < overlap < 0.95 and abs(overlap - 0.5) > 0.02:
            return a, b, overlap


def _iou_holds(variant: Variant) -> str | None:
    if not 0.05 < variant.answer < 0.95:
        return f"IoU {variant.answer} is not a proper partial overlap"
    return None


@generator(
    "iou_pair",
    guarantees=(
        "integer corner boxes, 3 to 8 units wide and high",
        "the boxes overlap partially: 0.05 < IoU < 0.95",
        "IoU is not within 0.02 of 0.5, where the NMS threshold sits",
    ),
    holds=_iou_holds,
)
def iou_pair(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    a, b, overlap = _overlapping_pair(rng)
    width = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    height = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    intersection = width * height
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection
    values = {
        "box_a": a,
        "box_b": b,
        "intersection": intersection,
        "union": union,
        "iou": overlap,
    }
    return Variant(values=values, answer=overlap)


ROUNDING = 1e-9  # NumPy's IoUs and the engine's agree far closer than this


def _may_overlap(boxes: np.ndarray) -> bool:
    """NumPy's quick look at the pairwise IoUs: False when the engine's could
    not pass `_nms_boxes`'s conditions (some IoU > 0.55, none within 0.03 of
    0.5). It only rejects; the engine's values decide what is kept."""
    low = np.maximum(boxes[:, None, :2], boxes[None, :, :2])
    high = np.minimum(boxes[:, None, 2:], boxes[None, :, 2:])
    inter = np.prod(np.clip(high - low, 0, None), axis=-1)
    area = np.prod(boxes[:, 2:] - boxes[:, :2], axis=-1)
    pairs = (inter / (area[:, None] + area[None, :] - inter))[
        np.triu_indices(len(boxes), 1)
    ]
    return bool(
        np.any(pairs > 0.55 - ROUNDING)
        and np.all(np.abs(pairs - 0.5) > 0.03 - ROUNDING)
    )


def _nms_boxes(
    rng: np.random.Generator, count: int
) -> tuple[list[list[int]], list[float]]:
    """Boxes around two objects, scores 0.05 apart, pairwise IoUs away from 0.5."""
    while True:
        centres = rng.integers(8, 32, size=(2, 2))
        boxes = []
        for index in range(count):
            cx, cy = centres[index % 2] + rng.integers(-3, 4, size=2)
            w, h = rng.integers(8, 14, size=2)
            boxes.append(
                [
                    int(cx - w // 2),
                    int(cy - h // 2),
                    int(cx + w - w // 2),
                    int(cy + h - h // 2),
                ]
            )
        scores = [
            round(float(s), 2)
            for s in rng.choice(np.arange(0.40, 0.99, 0.05), count, replace=False)
        ]
        strong = sum(score >= 0.6 for score in scores)
        if not (2 <= strong < count and all(abs(s - 0.6) > 0.01 for s in scores)):
            continue
        if not _may_overlap(np.array(boxes, dtype=float)):
            continue  # the engine's IoUs below would reject it too
        overlaps = detection.iou_matrix(np.array(boxes), np.array(boxes)).numpy()
        pairs = overlaps[np.triu_indices(count, 1)]
        if np.any(pairs > 0.55) and np.all(np.abs(pairs - 0.5) > 0.03):
            return boxes, scores


def _nms_holds(variant: Variant) -> str | None:
    if not variant.answer["dropped"]:
        return "no box falls below the confidence threshold"
    if not variant.answer["first_discards"]:
        return "the first kept box discards nothing"
    return None


@generator(
    "nms_trace",
    guarantees=(
        "5 or 6 labelled integer boxes around two objects",
        "confidences all different (0.05 apart), none within 0.01 of 0.6",
        "at least one box below 0.6 and at least two above",
        "no pairwise IoU within 0.03 of 0.5; the first kept box discards at least one box",
    ),
    holds=_nms_holds,
)
def nms_trace(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        count = int(rng.integers(5, 7))
        boxes, scores = _nms_boxes(rng, count)
        trace = detection.nms_trace(boxes, scores)
        if trace.steps and trace.steps[0].suppressed:
            break
    labels = list(string.ascii_uppercase[:count])
    table = [
        {"label": label, "box": box, "score": score}
        for label, box, score in zip(labels, boxes, scores, strict=True)
    ]
    answer = {
        "dropped": [labels[i] for i in trace.below_threshold],
        "first_kept": [labels[trace.steps[0].kept]],
        "first_discards": [labels[j] for j, _ in trace.steps[0].suppressed],
        "kept": [labels[step.kept] for step in trace.steps],
    }
    overlaps = [
        {"pair": f"{labels[i]}{labels[j]}", "iou": detection.iou(boxes[i], boxes[j])}
        for i, j in itertools.combinations(range(count), 2)
    ]
    values = {"boxes": table, "overlaps": overlaps, "trace": trace, "labels": labels}
    return Variant(values=values, answer=answer)


CELL_PIXELS = 64


def _yolo_cell(rng: np.random.Generator) -> dict[str, Any]:
    """A box inside the image, its centre ≥ 1/8 cell from the cell's edges,
    row ≠ col, bx ≠ by, and at least one side longer than a cell."""
    eighths = np.arange(1, 8) / 8
    sizes = np.arange(0.5, 3.25, 0.25)
    while True:
        grid = int(rng.choice([4, 5, 7]))
        row, col = (int(v) for v in rng.integers(0, grid, size=2))
        bx, by = (float(v) for v in rng.choice(eighths, size=2))
        bw, bh = (float(v) for v in rng.choice(sizes, size=2))
        cx, cy = (col + bx) * CELL_PIXELS, (row + by) * CELL_PIXELS
        w, h = bw * CELL_PIXELS, bh * CELL_PIXELS
        image = grid * CELL_PIXELS
        inside = w / 2 <= cx <= image - w / 2 and h / 2 <= cy <= image - h / 2
        if row != col and bx != by and max(bw, bh) > 1 and inside:
            return {"grid": grid, "image": image, "cell": CELL_PIXELS,
                    "row": row, "col": col, "bx": bx, "by": by, "bw": bw, "bh": bh,
                    "cx": cx, "cy": cy, "w": w, "h": h, "cx_cells": cx / CELL_PIXELS,
                    "cy_cells": cy / CELL_PIXELS}  # fmt: skip


def _encode_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["row"] == answer["col"]:
        return "row = col, a swap would not show"
    if not (0 < answer["bx"] < 1 and 0 < answer["by"] < 1):
        return "the centre is not strictly inside its cell"
    return None


@generator(
    "yolo_encode_cell",
    guarantees=(
        "an S×S grid (S = 4, 5 or 7) of 64-pixel cells; the box lies inside the image",
        "the centre is at least 1/8 of a cell from its cell's edges; row ≠ col and bx ≠ by",
        "at least one of bw, bh exceeds 1 (the box is larger than a cell)",
        "answers from the engine's yolo_encode on the normalised box",
    ),
    holds=_encode_holds,
)
def yolo_encode_cell(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    cell = _yolo_cell(rng)
    size, grid = cell["image"], cell["grid"]
    normalised = [
        cell["cx"] / size,
        cell["cy"] / size,
        cell["w"] / size,
        cell["h"] / size,
    ]
    row, col, bx, by, bw, bh = detection.yolo_encode(normalised, grid)
    answer = {"row": row, "col": col, "bx": bx, "by": by, "bw": bw, "bh": bh}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The offsets inside the cell the student picked."""
        if part == "bx" and "col" in earlier:
            return cell["cx"] / CELL_PIXELS - earlier["col"]
        if part == "by" and "row" in earlier:
            return cell["cy"] / CELL_PIXELS - earlier["row"]
        return None

    return Variant(values={**cell, **answer}, answer=answer, follow=follow)


@generator(
    "yolo_decode_cell",
    guarantees=(
        "an S×S grid (S = 4, 5 or 7) of 64-pixel cells; the decoded box lies inside the image",
        "offsets bx, by in eighths (not 0), sizes bw, bh in quarters, one of them > 1; row ≠ col",
        "answers from the engine's yolo_decode, scaled to pixels",
    ),
    holds=lambda v: (
        None
        if min(v.answer["x1"], v.answer["y1"]) >= 0
        and max(v.answer["x2"], v.answer["y2"]) <= v.values["image"]
        else "the box is not inside the image"
    ),
)
def yolo_decode_cell(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    cell = _yolo_cell(rng)
    corners = detection.yolo_decode(
        cell["row"], cell["col"], cell["bx"], cell["by"], cell["bw"], cell["bh"],
        cell["grid"],
    )  # fmt: skip
    x1, y1, x2, y2 = (float(v) * cell["image"] for v in corners)
    answer = {
        "cx": (x1 + x2) / 2,
        "cy": (y1 + y2) / 2,
        "x1": x1,
        "y1": y1,
        "x2": x2,
        "y2": y2,
    }
    half_w, half_h = cell["w"] / 2, cell["h"] / 2

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Corners from the student's own centre."""
        if part in ("x1", "x2") and "cx" in earlier:
            return earlier["cx"] + (half_w if part == "x2" else -half_w)
        if part in ("y1", "y2") and "cy" in earlier:
            return earlier["cy"] + (half_h if part == "y2" else -half_h)
        return None

    values = {**cell, **answer, "half_w": half_w, "half_h": half_h}
    return Variant(values=values, answer=answer, follow=follow)
