"""Exam-level variants for lecture 6.10, YOLO: decoding one cell of a 7×7×30
output (two boxes and one shared class vector), non-max suppression traced from
coordinates alone, an IoU function without its clamp traced on fresh boxes, and
the size of two output layouts with the head that produces them."""

from __future__ import annotations

import inspect
import itertools
import string
from typing import Any

import numpy as np
import torch

from engine.reference import detection
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, shaped

# --------------------------------------------- one cell of a 7×7×30 output

GRID, CELL, CLASSES, BOXES = 7, 64, 20, 2
IMAGE = GRID * CELL  # 448 pixels, as in the YOLOv1 paper
EIGHTHS = np.arange(1, 8) / 8
SIZES = np.arange(0.5, 3.25, 0.25)
Box = tuple[float, float, float, float]  # (bx, by, bw, bh)


def _class_probabilities(rng: np.random.Generator) -> np.ndarray:
    """20 probabilities in hundredths, adding up to 1, one clear winner."""
    winner = int(rng.integers(CLASSES))
    top = int(rng.integers(30, 71))
    rest = rng.multinomial(100 - top, np.ones(CLASSES - 1) / (CLASSES - 1))
    return np.insert(rest, winner, top) / 100


def _cell_box(rng: np.random.Generator) -> Box:
    bx, by = (float(v) for v in rng.choice(EIGHTHS, size=2))
    bw, bh = (float(v) for v in rng.choice(SIZES, size=2))
    return bx, by, bw, bh


def _corners(row: int, col: int, box: Box) -> list[float]:
    bx, by, bw, bh = box
    return [v * IMAGE for v in detection.yolo_decode(row, col, bx, by, bw, bh, GRID)]


def _cell_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    row, col = (int(v) for v in rng.integers(0, GRID, size=2))
    first = _cell_box(rng)
    if rng.integers(2):  # a near-duplicate, which NMS tends to suppress
        nudge = rng.integers(-1, 2, size=4) * np.array([1 / 8, 1 / 8, 0.25, 0.25])
        bx, by, bw, bh = (float(v) for v in np.asarray(first) + nudge)
        if not (0 < bx < 1 and 0 < by < 1 and min(bw, bh) >= 0.5):
            return None
        second: Box = (bx, by, bw, bh)
    else:
        second = _cell_box(rng)
    boxes = [first, second]
    scores = rng.choice(np.arange(65, 98), size=BOXES, replace=False) / 100
    probabilities = _class_probabilities(rng)
    corners = [_corners(row, col, box) for box in boxes]
    overlap = detection.iou(*corners)
    ordered = np.sort(probabilities)
    if (
        row == col
        or first == second
        or abs(scores[0] - scores[1]) < 0.05
        or min(min(c) for c in corners) < 0
        or max(max(c) for c in corners) > IMAGE
        or not 0.05 < overlap < 0.95
        or abs(overlap - 0.5) < 0.05
        or ordered[-1] - ordered[-2] < 0.05
    ):
        return None
    return {"row": row, "col": col, "boxes": boxes, "scores": scores,
            "probabilities": probabilities, "corners": corners, "iou": overlap}  # fmt: skip


def _cell_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if answer["kept"] not in (1, 2) or answer["count"] not in (1, 2):
        return "the kept box or the survivor count is out of range"
    if abs(answer["iou"] - 0.5) < 0.05:
        return "the IoU of the two boxes is too close to the NMS threshold"
    if min(variant.values["scores"]) < 0.6:
        return "a box falls below the confidence threshold"
    return None


@generator(
    "exam_yolo_cell_30",
    guarantees=(
        (
            "a 448-pixel image, 7×7 grid of 64-pixel cells; one cell (row ≠ col) with "
            "two boxes [p_c, b_x, b_y, b_w, b_h] and 20 class probabilities "
            "(hundredths, sum 1)"
        ),
        "both p_c in 0.65…0.97, at least 0.05 apart; b_x, b_y in eighths; b_w, b_h in quarters",
        "half the draws make box 2 a near-duplicate of box 1, so both NMS outcomes occur",
        (
            "both boxes lie inside the image; their IoU is in (0.05, 0.95) and not "
            "within 0.05 of 0.5; the largest class probability leads by at least 0.05"
        ),
        "answers from the engine's yolo_decode, iou and nms",
        "follow: the corners of the box the student kept; the survivors from their IoU",
    ),
    holds=_cell_holds,
)
def exam_yolo_cell_30(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    draw = bounded_draw(rng, _cell_draw)
    scores, corners, boxes = draw["scores"], draw["corners"], draw["boxes"]
    kept = detection.nms(corners, [float(s) for s in scores])
    answer = {
        "kept": kept[0] + 1,
        "corners": np.array(corners[kept[0]]),
        "iou": draw["iou"],
        "count": len(kept),
        "cls": int(np.argmax(draw["probabilities"])) + 1,
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The corners of the box the student named; the survivors from their IoU."""
        if part == "corners" and "kept" in earlier:
            for number in (1, 2):
                if abs(float(earlier["kept"]) - number) < 0.01:
                    return np.array(corners[number - 1])
            return None
        if part == "count" and "iou" in earlier:
            return 1 if float(earlier["iou"]) > detection.IOU_THRESHOLD else 2
        return None

    vector = np.concatenate(
        [np.array([scores[n], *boxes[n]]) for n in range(BOXES)]
        + [draw["probabilities"]]
    )
    box_rows = [
        {
            "number": n + 1,
            "pc": float(scores[n]),
            "bx": boxes[n][0],
            "by": boxes[n][1],
            "cx": (draw["col"] + boxes[n][0]) * CELL,
            "cy": (draw["row"] + boxes[n][1]) * CELL,
            "w": boxes[n][2] * CELL,
            "h": boxes[n][3] * CELL,
            "corners": corners[n],
        }
        for n in range(BOXES)
    ]
    values = {
        "grid": GRID,
        "cell": CELL,
        "image": IMAGE,
        "row": draw["row"],
        "col": draw["col"],
        "first": vector[:10],
        "second": vector[10:20],
        "third": vector[20:],
        "box_rows": box_rows,
        "scores": [float(s) for s in scores],
        "top_probability": float(np.max(draw["probabilities"])),
        "zero_based": answer["cls"] - 1,
        **answer,
    }
    return Variant(values=values, answer=answer, follow=follow)


# --------------------------------------- NMS traced from the coordinates alone


def _chained_slip(boxes: list[list[int]], order: tuple[int, ...]) -> list[int]:
    """The slip: a box is discarded when it overlaps ANY box before it in the
    order by more than 0.5, including boxes that were themselves discarded."""
    overlaps = detection.iou_matrix(boxes, boxes).numpy()
    return [
        i
        for position, i in enumerate(order)
        if all(overlaps[i, j] <= detection.IOU_THRESHOLD for j in order[:position])
    ]


def _shifted(
    rng: np.random.Generator, box: list[int], dx: int, width: int
) -> list[int]:
    """A box of about the same height, `dx` to the right of `box`, `width` wide."""
    dy = int(rng.integers(-1, 2))
    height = box[3] - box[1] + int(rng.integers(-1, 2))
    return [box[0] + dx, box[1] + dy, box[0] + dx + width, box[1] + dy + height]


def _chain_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    """A chain T → X → Y (X duplicates T, Y duplicates X but not T), a second
    object or a second duplicate Z, and a weak box W away from the kept boxes."""
    width = int(rng.integers(8, 12))
    left, upper = int(rng.integers(3, 7)), int(rng.integers(3, 7))
    top = [left, upper, left + width, upper + int(rng.integers(7, 11))]
    step = int(rng.integers(2, 4))
    jitter = [int(v) for v in rng.integers(-1, 2, size=3)]
    x = _shifted(rng, top, step, width + jitter[0])
    y = _shifted(rng, x, step + int(rng.integers(0, 2)), width + jitter[1])
    if rng.integers(2):  # a second duplicate of T
        z = _shifted(rng, top, -int(rng.integers(0, 3)), width + jitter[2])
    else:  # a second object further right
        z = _shifted(rng, top, width + 2 * step + int(rng.integers(6, 12)), width)
    wx, wy = int(rng.integers(0, 30)), upper + int(rng.integers(-2, 3))
    ww, wh = (int(v) for v in rng.integers(6, 11, size=2))
    weak = [wx, wy, wx + ww, wy + wh]
    boxes = [top, x, y, z, weak]
    if min(v for box in boxes for v in box) < 0:
        return None
    # T is the most confident; Z takes any later place; X comes before Y.
    high = sorted((rng.choice(np.arange(65, 100, 5), 4, replace=False) / 100).tolist())
    t_score = high.pop()
    z_score = high.pop(int(rng.integers(3)))
    y_score, x_score = high
    weak_score = float(rng.choice([0.4, 0.45, 0.5, 0.55]))
    scores = [t_score, x_score, y_score, z_score, weak_score]
    order = [int(i) for i in rng.permutation(len(boxes))]  # labels A–E at random
    boxes = [boxes[i] for i in order]
    scores = [round(float(scores[i]), 2) for i in order]
    overlaps = detection.iou_matrix(boxes, boxes).numpy()
    pairs = overlaps[np.triu_indices(len(boxes), 1)]
    if np.any(np.abs(pairs - 0.5) < 0.03):
        return None
    trace = detection.nms_trace(boxes, scores)
    if not trace.steps or not trace.steps[0].suppressed:
        return None
    if not 2 <= len(trace.kept) <= 3 or len(trace.below_threshold) != 1:
        return None
    if _chained_slip(boxes, trace.order) == trace.kept:
        return None
    unthresholded = detection.nms(boxes, scores, score_threshold=0.0)
    if unthresholded == trace.kept:
        return None
    return {"boxes": boxes, "scores": scores, "trace": trace,
            "unthresholded": unthresholded}  # fmt: skip


def _chain_holds(variant: Variant) -> str | None:
    if variant.answer["kept"] == variant.values["chained"]:
        return "the chained-suppression slip gives the right survivors"
    if variant.answer["kept"] == variant.values["no_threshold"]:
        return "forgetting the threshold gives the right survivors"
    if not variant.answer["first_discards"]:
        return "the first kept box discards nothing"
    return None


@generator(
    "exam_nms_chain",
    guarantees=(
        "5 labelled integer boxes, about 8 to 11 units wide; no IoUs are given",
        "confidences 0.05 apart, none within 0.01 of 0.6; exactly one below 0.6",
        "no pairwise IoU within 0.03 of 0.5; the first kept box discards a box; 2 or 3 survive",
        "letting discarded boxes suppress too (chained suppression) changes the survivors",
        "skipping the confidence threshold changes the survivors",
        "answers from the engine's nms_trace",
    ),
    holds=_chain_holds,
)
def exam_nms_chain(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    draw = bounded_draw(rng, _chain_draw)
    boxes, scores, trace = draw["boxes"], draw["scores"], draw["trace"]
    labels = list(string.ascii_uppercase[: len(boxes)])
    dropped = [labels[i] for i in trace.below_threshold]
    kept = [labels[step.kept] for step in trace.steps]
    answer = {
        "dropped": dropped,
        "first_kept": [labels[trace.steps[0].kept]],
        "first_discards": [labels[j] for j, _ in trace.steps[0].suppressed],
        "kept": kept,
    }
    table = [
        {"label": label, "box": box, "score": score}
        for label, box, score in zip(labels, boxes, scores, strict=True)
    ]
    overlaps = [
        {"pair": f"{labels[i]}{labels[j]}", "iou": detection.iou(boxes[i], boxes[j])}
        for i, j in itertools.combinations(range(len(boxes)), 2)
    ]
    chained = [labels[i] for i in _chained_slip(boxes, trace.order)]
    no_threshold = [labels[i] for i in draw["unthresholded"]]
    steps = [
        f"keep {labels[step.kept]}, which discards "
        + (
            ", ".join(f"{labels[j]} (IoU {value:.3f})" for j, value in step.suppressed)
            or "nothing"
        )
        for step in trace.steps
    ]
    values = {
        "order_text": ", ".join(labels[i] for i in trace.order),
        "dropped_text": ", ".join(dropped),
        "steps": steps,
        "boxes": table,
        "trace": trace,
        "labels": labels,
        "overlaps": overlaps,
        "chained": chained,
        "chained_text": ", ".join(chained),
        "no_threshold": no_threshold,
        "no_threshold_text": ", ".join(no_threshold),
        "kept_text": ", ".join(kept),
    }
    return Variant(values=values, answer=answer)


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
