"""Exercise spec for lecture 6.10: non-max suppression as in the notes."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compare import ordered_indices
from engine.reference import detection
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case

NmsFunction = Callable[[list[list[float]], list[float]], list[int]]


def _overlaps(boxes: list[list[float]], plus_one: bool) -> np.ndarray:
    """Pairwise IoU, continuous or with the +1 pixel convention."""
    if not plus_one:
        return detection.iou_matrix(np.asarray(boxes), np.asarray(boxes)).numpy()
    b = np.asarray(boxes, dtype=float).reshape(-1, 4)
    sides = np.minimum(b[:, None, 2:], b[None, :, 2:]) - np.maximum(
        b[:, None, :2], b[None, :, :2]
    )
    sides = np.maximum(sides + 1, 0.0)
    intersection = sides[..., 0] * sides[..., 1]
    area = (b[:, 2] - b[:, 0] + 1) * (b[:, 3] - b[:, 1] + 1)
    result: np.ndarray = intersection / (area[:, None] + area[None, :] - intersection)
    return result


def _nms_variant(
    *, sort: bool = True, suppress_equal: bool = False, keep_equal_score: bool = True,
    threshold: bool = True, index_order: bool = False, plus_one: bool = False,
    suppressed_suppress: bool = False,
) -> NmsFunction:  # fmt: skip
    def run(boxes: list[list[float]], scores: list[float]) -> list[int]:
        indices = list(range(len(scores)))
        if threshold:
            indices = [
                i for i in indices
                if (scores[i] >= 0.6 if keep_equal_score else scores[i] > 0.6)
            ]  # fmt: skip
        if sort:
            indices.sort(key=lambda i: -scores[i])
        overlaps = _overlaps(boxes, plus_one)

        def duplicate(i: int, j: int) -> bool:
            value = overlaps[i, j]
            return bool(value >= 0.5 if suppress_equal else value > 0.5)

        kept: list[int] = []
        if suppressed_suppress:
            # "Fast NMS": a box goes when ANY earlier box overlaps it, kept or not.
            kept = [
                j
                for position, j in enumerate(indices)
                if not any(duplicate(i, j) for i in indices[:position])
            ]
        else:
            while indices:
                best = indices.pop(0)
                kept.append(best)
                indices = [j for j in indices if not duplicate(best, j)]
        return sorted(kept) if index_order else kept

    return run


def _cluster_boxes(rng: np.random.Generator, count: int) -> list[list[float]]:
    """Boxes around two or three objects, with no pairwise IoU within 0.02 of 0.5."""
    while True:
        centres = rng.uniform(10, 90, size=(int(rng.integers(2, 4)), 2))
        boxes = []
        for _ in range(count):
            cx, cy = centres[rng.integers(len(centres))] + rng.normal(0, 3, size=2)
            w, h = rng.uniform(15, 30, size=2)
            boxes.append(
                [
                    round(float(v), 2)
                    for v in (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                ]
            )
        overlaps = detection.iou_matrix(np.asarray(boxes), np.asarray(boxes)).numpy()
        if np.all(np.abs(overlaps[np.triu_indices(count, 1)] - 0.5) > 0.02):
            return boxes


def _distinct_scores(rng: np.random.Generator, count: int) -> list[float]:
    """Scores at least 0.005 apart and at least 0.01 away from 0.6."""
    while True:
        scores = np.round(rng.uniform(0.3, 0.99, size=count), 3)
        gaps = np.diff(np.sort(scores))
        if np.all(gaps >= 0.005) and np.all(np.abs(scores - 0.6) >= 0.01):
            return [float(s) for s in scores]


# The fixed cases, in the order a student meets them: each label states a fact
# about its own case, so the first failure shown never names another cause.
_FIXED: list[tuple[str, list[list[float]], list[float], str]] = [
    ("one box", [[1.0, 1.0, 3.0, 4.0]], [0.9], "edge: a single box"),
    (
        "all weak",
        [[0.0, 0.0, 2.0, 2.0], [5.0, 5.0, 7.0, 7.0]],
        [0.5, 0.3],
        "edge: every pc below 0.6, nothing is kept",
    ),
    (
        "duplicates",
        [[0.0, 0.0, 4.0, 4.0], [0.0, 0.0, 4.0, 4.0], [0.0, 0.0, 4.0, 3.9]],
        [0.7, 0.9, 0.8],
        "edge: three (nearly) identical boxes, only the most confident stays",
    ),
    (
        "diagonal neighbours",
        [[0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0], [4.0, 0.0, 5.0, 1.0]],
        [0.65, 0.95, 0.8],
        "edge: disjoint boxes (IoU 0), all kept, by decreasing pc",
    ),
    (
        "box inside a box",
        [[0.0, 0.0, 4.0, 4.0], [1.0, 1.0, 3.0, 3.0]],
        [0.9, 0.8],
        "edge: a small box inside a big one, IoU 4/16 = 0.25, both stay",
    ),
    (
        "small boxes",
        [[0.0, 0.0, 1.0, 1.0], [0.5, 0.0, 1.5, 1.0]],
        [0.9, 0.8],
        "edge: unit squares overlapping by half a width, IoU 0.5/1.5 = 1/3, both stay",
    ),
    (
        "two objects",
        [
            [20.0, 1.0, 30.0, 11.0],
            [0.0, 0.0, 10.0, 10.0],
            [1.0, 0.0, 11.0, 10.0],
            [20.0, 0.0, 30.0, 10.0],
        ],
        [0.75, 0.9, 0.8, 0.85],
        (
            "edge: two objects, each with a duplicate (IoU 9/11): box 1 suppresses "
            "box 2 and box 3 suppresses box 0"
        ),
    ),
    (
        "chain",
        [[2.0, 0.0, 12.0, 10.0], [5.0, 0.0, 15.0, 10.0], [0.0, 0.0, 10.0, 10.0]],
        [0.8, 0.7, 0.9],
        (
            "edge: a chain: box 2 suppresses box 0 (IoU 8/12); box 1 overlaps box 0 "
            "(IoU 7/13) but box 2 only by 5/15, and box 0 is gone, so box 1 stays"
        ),
    ),
    (
        "iou exactly 0.5",
        [[0.0, 0.0, 4.0, 4.0], [0.0, 0.0, 4.0, 2.0]],
        [0.9, 0.8],
        "convention: IoU exactly 0.5 (8/16) is not > 0.5, both stay",
    ),
    (
        "pc exactly 0.6",
        [[0.0, 0.0, 1.0, 1.0], [3.0, 3.0, 4.0, 4.0]],
        [0.6, 0.7],
        "convention: pc = 0.6 is not < 0.6, it stays",
    ),
    (
        "tied scores",
        [[0.0, 0.0, 2.0, 2.0], [0.5, 0.0, 2.5, 2.0]],
        [0.8, 0.8],
        (
            "convention: equal pc, the lower index comes first and suppresses the "
            "other (IoU 0.6)"
        ),
    ),
]


def nms_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, copy.deepcopy({"boxes": boxes, "scores": scores}), label)
        for name, boxes, scores, label in _FIXED
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        count = int(rng.integers(5, 10))
        cases.append(
            Case(
                f"random {i + 1}",
                {
                    "boxes": _cluster_boxes(rng, count),
                    "scores": _distinct_scores(rng, count),
                },
                "random",
                hidden=i >= 3,
            )
        )
    return cases


def _nms_kept_are_distinct(kwargs: dict[str, Any], got: Any) -> str | None:
    kept = [int(i) for i in np.asarray(got).reshape(-1)]
    boxes, scores = np.asarray(kwargs["boxes"], float), kwargs["scores"]
    if len(set(kept)) != len(kept) or any(not 0 <= i < len(scores) for i in kept):
        return f"{kept} repeats an index or names a box that does not exist"
    for i in kept:
        if scores[i] < 0.6:
            return f"box {i} is kept with pc = {scores[i]} < 0.6"
    # Every kept pair at once (a wrong answer may keep every box: one matrix,
    # not a scalar IoU per pair); the first pair in order is the one named.
    overlaps = detection.iou_matrix(boxes[kept], boxes[kept]).numpy()
    pairs = np.argwhere(np.triu(overlaps > 0.5, k=1))
    if len(pairs):
        a, b = (int(p) for p in pairs[0])
        i, j = kept[a], kept[b]
        return f"kept boxes {i} and {j} overlap with IoU {overlaps[a, b]:.3f} > 0.5"
    return None


NMS = register(
    ExerciseSpec(
        id="nms",
        title="Non-max suppression",
        topic="6.10",
        entry_point="nms",
        signature="def nms(boxes, scores) -> list[int]",
        statement=(
            "boxes is an (N, 4) array of corners (x1, y1, x2, y2) in continuous "
            "coordinates (no +1 pixel), scores the N confidences pc. Discard boxes "
            "with pc < 0.6; order the rest by pc, highest first (equal pc: lower "
            "index first); keep the first box and discard every remaining box whose "
            "IoU with it is > 0.5; repeat on the boxes that remain (a discarded box "
            "suppresses nothing). Return the kept indices in the order they were kept."
        ),
        reference=detection.nms,
        make_cases=nms_cases,
        compare=ordered_indices(),
        mistakes=(
            Mistake(
                "nms-no-sort",
                "Boxes not sorted by confidence",
                "NMS must always keep the most confident remaining box. Processing boxes "
                "in input order keeps whichever duplicate happens to come first.",
                _nms_variant(sort=False),
                point="In which order do you visit the boxes? Check which box your first round keeps in the visible case 'duplicates', where box 1 has the highest pc.",
                fix="`order = sorted((i for i in range(len(scores)) if scores[i] >= 0.6), key=lambda i: -scores[i])` (a stable sort), then keep `order[0]` and drop every box whose IoU with it is `> 0.5`, and repeat.",
            ),
            Mistake(
                "nms-suppress-at-threshold",
                "≥ 0.5 instead of > 0.5",
                "A box is a duplicate only when its IoU with the kept box is strictly "
                "greater than 0.5; at exactly 0.5 it stays.",
                _nms_variant(suppress_equal=True),
                point="Look at the comparison that decides whether a box is a duplicate: what happens to a box whose IoU with the kept box is exactly 0.5?",
                fix="`order = [j for j in order if iou(boxes[best], boxes[j]) <= 0.5]`: suppress only when the IoU is `> 0.5`.",
            ),
            Mistake(
                "nms-drop-at-threshold",
                "Boxes with pc = 0.6 dropped",
                "The notes drop boxes with pc < 0.6, so a box at exactly 0.6 survives "
                "the threshold.",
                _nms_variant(keep_equal_score=False),
                point="Look at the test that filters out weak boxes: on which side of it does a box with pc exactly 0.6 land?",
                fix="`candidates = [i for i in range(len(scores)) if scores[i] >= 0.6]`",
            ),
            Mistake(
                "nms-no-threshold",
                "Low-confidence boxes not dropped",
                "Step 1 of NMS discards every box with pc < 0.6 before anything else.",
                _nms_variant(threshold=False),
                point="Before any suppression starts, what should happen to a box whose pc is 0.5? Check the visible case 'all weak'.",
                fix="Start from `candidates = [i for i in range(len(scores)) if scores[i] >= 0.6]` and sort and suppress among those only.",
            ),
            Mistake(
                "nms-index-order",
                "Kept indices returned in index order",
                "Return the boxes in the order NMS keeps them, which is by decreasing "
                "confidence, not sorted by index.",
                _nms_variant(index_order=True),
                point="Look at the list you return: in what order do its indices come out, and is that the order in which the boxes were kept?",
                fix="`kept.append(best)` each time a box is chosen, then `return kept` as it is, without `sorted(kept)`.",
            ),
            Mistake(
                "nms-plus-one",
                "+1 pixel in the IoU",
                "You added 1 to every width and height (the Pascal VOC convention for "
                "integer pixel indices). Here coordinates are continuous: the unit "
                "squares (0, 0, 1, 1) and (0.5, 0, 1.5, 1) have IoU 1/3, not 0.6, so "
                "neither suppresses the other.",
                _nms_variant(plus_one=True),
                point="Look at the widths and heights inside your IoU: how wide is the box (0, 0, 1, 1) in continuous coordinates?",
                fix="With `a, b = boxes[best], boxes[j]`: `w = max(0, min(a[2], b[2]) - max(a[0], b[0]))`, `h = max(0, min(a[3], b[3]) - max(a[1], b[1]))` and `area = (a[2] - a[0]) * (a[3] - a[1])`, with no `+ 1` anywhere.",
            ),
            Mistake(
                "nms-suppressed-still-suppress",
                "Suppressed boxes still suppress others",
                "Only a box that is KEPT removes its duplicates. You let a box that was "
                "already discarded remove others too (as 'Fast NMS' does): when A "
                "suppresses B, a third box C is compared with A, not with B, and "
                "stays if its IoU with every kept box is ≤ 0.5.",
                _nms_variant(suppressed_suppress=True),
                point="Which boxes do you compare a candidate with: only the boxes you have kept, or every box before it in the order? Trace the visible 'chain' case by hand.",
                fix="`while order: best = order.pop(0); kept.append(best); order = [j for j in order if iou(boxes[best], boxes[j]) <= 0.5]`: only a kept box removes others.",
            ),
        ),
        properties=(
            Property(
                "nms-kept-distinct",
                "kept boxes have pc ≥ 0.6 and pairwise IoU ≤ 0.5 (so NMS on them keeps them all)",
                per_case(_nms_kept_are_distinct),
            ),
        ),
        forbidden=("torchvision", "torch.ops", "tensorflow", "cv2.dnn.NMSBoxes"),
    )
)
