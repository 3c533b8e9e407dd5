"""Exam-level variants for lecture 6.10, YOLO: decoding one cell of a 7×7×30
output (two boxes and one shared class vector), non-max suppression traced from
coordinates alone (an IoU function without its clamp and the output layouts are
in exam_6_10_code.py)."""

from __future__ import annotations

import itertools
import string
from typing import Any

import numpy as np

from engine.reference import detection
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw

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
