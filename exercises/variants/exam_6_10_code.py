"""Exam-level variants for lecture 6.10, YOLO, on code and layouts: an IoU
function without its clamp traced on fresh boxes, and the size of two output
layouts with the head that produces them (the cell decode and the NMS chain are
in exam_6_10.py)."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch

from engine.reference import detection
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped

# ------------------------------------------- an IoU without its clamp at zero


# Shown to students exactly as written (inspect.getsource), bug included; the
# generator runs it to find what it returns.
def iou(a: list[float], b: list[float]) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


UNCLAMPED_IOU_CODE = inspect.getsource(iou)


def _unclamped(a: list[int], b: list[int]) -> float:
    """What the shown function returns for two integer boxes."""
    return iou([float(v) for v in a], [float(v) for v in b])


def _sides(rng: np.random.Generator, low: int, high: int) -> tuple[int, int]:
    return int(rng.integers(low, high)), int(rng.integers(low, high))


def _unclamped_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    x, y = (int(v) for v in rng.integers(8, 13, size=2))
    w, h = _sides(rng, 3, 7)
    a = [x, y, x + w, y + h]
    # Overlapping for real.
    bw, bh = _sides(rng, 3, 7)
    dx, dy = int(rng.integers(-bw + 1, w)), int(rng.integers(-bh + 1, h))
    overlapping = [x + dx, y + dy, x + dx + bw, y + dy + bh]
    # Apart on both axes (diagonal), on a random side.
    cw, ch = _sides(rng, 1, 5)
    gx, gy = (int(v) for v in rng.integers(1, 6, size=2))
    right, below = (bool(v) for v in rng.integers(0, 2, size=2))
    cx = a[2] + gx if right else a[0] - gx - cw
    cy = a[3] + gy if below else a[1] - gy - ch
    diagonal = [cx, cy, cx + cw, cy + ch]
    # Apart on one axis only (beside), overlapping on the other.
    sw, sh = _sides(rng, 2, 6)
    gap = int(rng.integers(1, 5))
    sy = y + int(rng.integers(-sh + 1, h))
    sx = a[2] + gap if rng.integers(2) else a[0] - gap - sw
    beside = [sx, sy, sx + sw, sy + sh]
    others = [overlapping, diagonal, beside]
    if min(v for box in [a, *others] for v in box) < 0:
        return None
    try:
        returned = [_unclamped(a, box) for box in others]
    except ZeroDivisionError:  # the unclamped union can come out as exactly 0
        return None
    true = [detection.iou(a, box) for box in others]
    if not (
        0.05 < true[0] < 0.95
        and abs(true[0] - 0.5) > 0.05
        and 0.55 < returned[1] <= 4
        and returned[2] < -0.05
        and abs(true[1]) + abs(true[2]) == 0
        and abs(returned[0] - true[0]) < 1e-12
    ):
        return None
    order = [int(i) for i in rng.permutation(3)]  # which label gets which box
    return {"a": a, "others": [others[i] for i in order],
            "kinds": [("overlapping", "diagonal", "beside")[i] for i in order]}  # fmt: skip


def _unclamped_holds(variant: Variant) -> str | None:
    if variant.answer["discarded"] == variant.answer["correct"]:
        return "the missing clamp changes nothing here"
    return None


@generator(
    "exam_iou_missing_clamp",
    guarantees=(
        "integer corner boxes with non-negative coordinates; A is kept first",
        "one box overlaps A (true IoU in (0.05, 0.95), not within 0.05 of 0.5)",
        "one box is apart from A on both axes and the unclamped code returns 0.55 to 4",
        "one box is beside A (apart on one axis) and the unclamped code returns below −0.05",
        (
            "the returned values by running the shown function; the right answers from "
            "the engine's iou and nms_trace; follow: the discards from the student's values"
        ),
    ),
    holds=_unclamped_holds,
)
def exam_iou_missing_clamp(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    draw = bounded_draw(rng, _unclamped_draw)
    a, others = draw["a"], draw["others"]
    labels = ["B", "C", "D"]
    returned = np.array([_unclamped(a, box) for box in others])
    true = np.array([detection.iou(a, box) for box in others])
    trace = detection.nms_trace([a, *others], [0.9, 0.8, 0.75, 0.7])
    discarded = [labels[i] for i in range(3) if returned[i] > 0.5]
    correct = [labels[j - 1] for j, _ in trace.steps[0].suppressed]
    answer = {"returned": returned, "discarded": discarded, "correct": correct}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The boxes the buggy NMS discards, from the student's own values."""
        if part == "discarded" and "returned" in earlier:
            own = shaped(earlier["returned"], (3,))
            if own is not None:
                return [labels[i] for i in range(3) if own[i] > 0.5]
        return None

    rows = [
        {"label": label, "box": box, "kind": kind, "returned": r, "true": t}
        for label, box, kind, r, t in zip(
            labels, others, draw["kinds"], returned, true, strict=True
        )
    ]
    values = {
        "code": UNCLAMPED_IOU_CODE,
        "a": a,
        "rows": rows,
        "figure_boxes": [{"label": "A", "box": a}]
        + [{"label": r["label"], "box": r["box"]} for r in rows],
        "true": true,
        "discarded_text": ", ".join(discarded) or "none",
        "correct_text": ", ".join(correct) or "none",
    }
    return Variant(values=values, answer=answer, follow=follow)


# ---------------------------------------- two output layouts and their head


def _numbers(*shape: int) -> int:
    return int(torch.Size(shape).numel())


def _head_parameters(channels: int, depth: int) -> int:
    head = torch.nn.Conv2d(channels, depth, kernel_size=1, device="meta")
    return sum(p.numel() for p in head.parameters())


@generator(
    "exam_yolo_output_layouts",
    guarantees=(
        "S in {7, 9, 13}, B in {2, 3, 5}, C in {10, 20, 80}, K in {256, 512, 1024}",
        "the per-box layout is always larger than the shared layout (B ≥ 2)",
        "sizes from torch.Size.numel; the head's parameters counted on a torch Conv2d",
        "follow: the total of the shared layout from the student's per-cell count",
    ),
    holds=lambda v: (
        None
        if v.answer["total_per_box"] > v.answer["total_shared"] > 0
        else "the per-box layout is not the larger"
    ),
)
def exam_yolo_output_layouts(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    grid = int(rng.choice([7, 9, 13]))
    boxes = int(rng.choice([2, 3, 5]))
    classes = int(rng.choice([10, 20, 80]))
    channels = int(rng.choice([256, 512, 1024]))
    shared_depth = _numbers(boxes, 5) + classes
    per_box_depth = _numbers(boxes, 5 + classes)
    answer = {
        "per_cell": shared_depth,
        "total_shared": _numbers(grid, grid, shared_depth),
        "total_per_box": _numbers(grid, grid, per_box_depth),
        "head": _head_parameters(channels, per_box_depth),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The grid times the student's own count per cell."""
        if part == "total_shared" and "per_cell" in earlier:
            return grid * grid * float(earlier["per_cell"])
        return None

    values = {
        "grid": grid,
        "boxes": boxes,
        "classes": classes,
        "channels": channels,
        "per_box_depth": per_box_depth,
        "cells": grid * grid,
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)
