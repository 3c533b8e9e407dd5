"""Exercise spec for lecture 6.10: intersection over union of two corner boxes."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import detection
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    per_case,
    swapped_pairs_agree,
)


def _iou_without_clamp(box_a: list[float], box_b: list[float]) -> float:
    width = min(box_a[2], box_b[2]) - max(box_a[0], box_b[0])
    height = min(box_a[3], box_b[3]) - max(box_a[1], box_b[1])
    intersection = width * height
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return intersection / (area_a + area_b - intersection)


def _iou_plus_one(box_a: list[float], box_b: list[float]) -> float:
    width = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]) + 1)
    height = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]) + 1)
    intersection = width * height
    area_a = (box_a[2] - box_a[0] + 1) * (box_a[3] - box_a[1] + 1)
    area_b = (box_b[2] - box_b[0] + 1) * (box_b[3] - box_b[1] + 1)
    return intersection / (area_a + area_b - intersection)


def _iou_over_smaller(box_a: list[float], box_b: list[float]) -> float:
    width = max(0.0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))
    height = max(0.0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))
    area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])
    area_b = (box_b[2] - box_b[0]) * (box_b[3] - box_b[1])
    return width * height / min(area_a, area_b)


def _random_box(rng: np.random.Generator) -> list[float]:
    x1, y1 = rng.uniform(0.0, 8.0, size=2)
    width, height = rng.uniform(0.5, 4.0, size=2)
    return [round(float(v), 3) for v in (x1, y1, x1 + width, y1 + height)]


def _nearby_box(rng: np.random.Generator, box: list[float]) -> list[float]:
    width, height = box[2] - box[0], box[3] - box[1]
    x1 = box[0] + rng.uniform(-0.8, 0.8) * width
    y1 = box[1] + rng.uniform(-0.8, 0.8) * height
    new_w = width * rng.uniform(0.5, 1.5)
    new_h = height * rng.uniform(0.5, 1.5)
    return [round(float(v), 3) for v in (x1, y1, x1 + new_w, y1 + new_h)]


# Each fixed pair with what it is, stated as a fact a failing student can check.
# The two "apart on one axis" pairs catch an intersection clamped on one axis
# only: there the other side is positive and the unclamped one negative.
_EDGE_PAIRS = [
    ("identical boxes: IoU 1", [1.0, 1.0, 4.0, 3.0], [1.0, 1.0, 4.0, 3.0]),
    ("disjoint, diagonal: IoU 0", [0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0]),
    ("disjoint, side by side: IoU 0", [0.0, 0.0, 1.0, 1.0], [2.0, 0.0, 3.0, 1.0]),
    (
        "apart in x, overlapping in y: IoU 0",
        [0.0, 0.0, 1.0, 2.0],
        [3.0, 1.0, 4.0, 3.0],
    ),
    (
        "apart in y (one above the other), overlapping in x: IoU 0",
        [0.0, 0.0, 2.0, 1.0],
        [1.0, 3.0, 3.0, 4.0],
    ),
    (
        "touching along an edge: IoU 0",
        [0.0, 0.0, 2.0, 2.0],
        [2.0, 0.0, 4.0, 2.0],
    ),
    ("one inside the other: IoU 1/8", [0.0, 0.0, 4.0, 4.0], [1.0, 1.0, 2.0, 3.0]),
    ("half overlap: IoU 1/3", [0.0, 0.0, 10.0, 10.0], [5.0, 0.0, 15.0, 10.0]),
    ("corner overlap: IoU 1/7", [0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]),
]


def iou_cases(seed: int) -> list[Case]:
    cases = [
        Case(f"edge {i + 1}", {"box_a": [*a], "box_b": [*b]}, label=f"edge: {label}")
        for i, (label, a, b) in enumerate(_EDGE_PAIRS)
    ]
    # The last pair in the other order, for the symmetry law.
    last = len(_EDGE_PAIRS)
    label, box_a, box_b = _EDGE_PAIRS[-1]
    cases.append(
        Case(
            f"edge {last} swapped",
            {"box_a": [*box_b], "box_b": [*box_a]},
            f"edge: {label}, boxes swapped",
        )
    )
    rng = np.random.default_rng(seed)
    for i in range(8):
        box_a = _random_box(rng)
        # Most random pairs overlap: the second box is the first, shifted by
        # up to 80 % of its size and resized; one pair in four is independent.
        box_b = _random_box(rng) if i % 4 == 3 else _nearby_box(rng, box_a)
        cases.append(
            Case(
                f"random {i + 1}",
                {"box_a": box_a, "box_b": box_b},
                "random",
                hidden=i >= 4,
            )
        )
    return cases


def _iou_in_unit_interval(kwargs: dict[str, Any], got: Any) -> str | None:
    value = float(got)
    return None if 0.0 <= value <= 1.0 else f"IoU {value:g} is outside [0, 1]"


_iou_symmetric = swapped_pairs_agree(
    lambda value, twin: f"IoU(A, B) = {value:g} but IoU(B, A) = {twin:g}"
)


IOU = register(
    ExerciseSpec(
        id="iou",
        title="Intersection over union of two boxes",
        topic="6.10",
        entry_point="iou",
        signature="def iou(box_a, box_b) -> float",
        statement=(
            "Boxes are corner coordinates (x1, y1, x2, y2) with x1 < x2 and y1 < y2, "
            "continuous (no +1 pixel). Return the area of the intersection divided by "
            "the area of the union, a float in [0, 1]; boxes that do not overlap, or "
            "only touch along an edge, give 0."
        ),
        reference=detection.iou,
        make_cases=iou_cases,
        compare=allclose(rtol=0.0, atol=1e-5),
        mistakes=(
            Mistake(
                id="iou-no-clamp",
                title="Intersection not clamped at zero",
                explanation=(
                    "When the boxes do not overlap, min(x2) − max(x1) is negative. "
                    "Clamp each side of the intersection with max(0, ·); otherwise two "
                    "negative sides multiply into a positive 'overlap' (diagonal boxes "
                    "give IoU 1) or a negative one (boxes side by side)."
                ),
                function=_iou_without_clamp,
                point="Look at the width and height of your intersection when the boxes do not overlap: what sign do they have for the visible disjoint boxes [0, 0, 1, 1] and [2, 2, 3, 3]?",
                fix="`w = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))`; `h = max(0, min(box_a[3], box_b[3]) - max(box_a[1], box_b[1]))`; `inter = w * h`",
            ),
            Mistake(
                id="iou-plus-one",
                title="+1 pixel convention",
                explanation=(
                    "You added 1 to every width and height, the Pascal VOC convention "
                    "for integer pixel indices. Here coordinates are continuous: a box "
                    "from x1 to x2 is x2 − x1 wide."
                ),
                function=_iou_plus_one,
                point="Look at every width and height you compute: in continuous coordinates, how wide is a box whose x1 is 1 and whose x2 is 4?",
                fix="Drop every `+ 1`: `w = max(0, min(box_a[2], box_b[2]) - max(box_a[0], box_b[0]))` (`h` likewise with indices 1 and 3) and `area_a = (box_a[2] - box_a[0]) * (box_a[3] - box_a[1])`, `area_b` likewise.",
            ),
            Mistake(
                id="iou-over-smaller-area",
                title="Overlap divided by the smaller box, not by the union",
                explanation=(
                    "Intersection over the smaller area is the 'overlap' of some fast NMS "
                    "code, not IoU: a small box inside a large one would score 1. Divide "
                    "by |A| + |B| − |A ∩ B|."
                ),
                function=_iou_over_smaller,
                point="Look at the denominator of your ratio: which area do you divide the overlap by, and what would a small box lying inside a big one score?",
                fix="`union = area_a + area_b - inter`; `return inter / union if union > 0 else 0.0`",
            ),
        ),
        properties=(
            Property(
                "iou-range", "IoU lies in [0, 1]", per_case(_iou_in_unit_interval)
            ),
            Property("iou-symmetric", "IoU(A, B) = IoU(B, A)", _iou_symmetric),
        ),
        forbidden=("torchvision", "torch.ops"),
    )
)
