"""Exercise specs for lecture 6.10: IoU, YOLO cell encoding, non-max suppression."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from engine.compare import allclose, equal, fields, ordered_indices
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

# --------------------------------------------------------------------------- IoU


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


def iou_cases(seed: int) -> list[Case]:
    edge = [
        ("identical boxes", [1.0, 1.0, 4.0, 3.0], [1.0, 1.0, 4.0, 3.0]),
        ("disjoint, diagonal", [0.0, 0.0, 1.0, 1.0], [2.0, 2.0, 3.0, 3.0]),
        ("disjoint, side by side", [0.0, 0.0, 1.0, 1.0], [2.0, 0.0, 3.0, 1.0]),
        ("touching edges", [0.0, 0.0, 2.0, 2.0], [2.0, 0.0, 4.0, 2.0]),
        ("one inside the other", [0.0, 0.0, 4.0, 4.0], [1.0, 1.0, 2.0, 3.0]),
        ("half overlap", [0.0, 0.0, 10.0, 10.0], [5.0, 0.0, 15.0, 10.0]),
        ("corner overlap", [0.0, 0.0, 2.0, 2.0], [1.0, 1.0, 3.0, 3.0]),
    ]
    cases = [
        Case(f"edge {i + 1}", {"box_a": a, "box_b": b}, label=f"edge: {label}")
        for i, (label, a, b) in enumerate(edge)
    ]
    # The same pair in the other order, for the symmetry law.
    cases.append(
        Case(
            "edge 7 swapped",
            {"box_a": edge[6][2], "box_b": edge[6][1]},
            "edge: corner overlap, swapped",
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
            "the area of the union, a float in [0, 1]; boxes that do not overlap give 0."
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

# --------------------------------------------------------------------------- NMS


def _nms_variant(
    *, sort: bool = True, suppress_equal: bool = False, keep_equal_score: bool = True,
    threshold: bool = True, index_order: bool = False,
) -> Any:  # fmt: skip
    def run(boxes: list[list[float]], scores: list[float]) -> list[int]:
        indices = list(range(len(scores)))
        if threshold:
            indices = [
                i for i in indices
                if (scores[i] >= 0.6 if keep_equal_score else scores[i] > 0.6)
            ]  # fmt: skip
        if sort:
            indices.sort(key=lambda i: -scores[i])
        overlaps = detection.iou_matrix(np.asarray(boxes), np.asarray(boxes)).numpy()
        kept: list[int] = []
        while indices:
            best = indices.pop(0)
            kept.append(best)
            indices = [
                j for j in indices
                if not (overlaps[best, j] >= 0.5 if suppress_equal else overlaps[best, j] > 0.5)
            ]  # fmt: skip
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


def nms_cases(seed: int) -> list[Case]:
    square = [0.0, 0.0, 4.0, 4.0]
    cases = [
        Case(
            "one box",
            {"boxes": [[1.0, 1.0, 3.0, 4.0]], "scores": [0.9]},
            "edge: a single box",
        ),
        Case(
            "all weak",
            {
                "boxes": [[0.0, 0.0, 2.0, 2.0], [5.0, 5.0, 7.0, 7.0]],
                "scores": [0.5, 0.3],
            },
            "edge: every pc below 0.6",
        ),
        Case(
            "duplicates",
            {
                "boxes": [square, square, [0.0, 0.0, 4.0, 3.9]],
                "scores": [0.7, 0.9, 0.8],
            },
            "edge: identical boxes",
        ),
        Case(
            "far apart",
            {
                "boxes": [
                    [0.0, 0.0, 1.0, 1.0],
                    [10.0, 10.0, 11.0, 11.0],
                    [20.0, 0.0, 21.0, 1.0],
                ],
                "scores": [0.65, 0.95, 0.8],
            },
            "edge: no overlaps, kept by confidence",
        ),
        Case(
            "iou exactly 0.5",
            {"boxes": [square, [0.0, 0.0, 4.0, 2.0]], "scores": [0.9, 0.8]},
            "convention: IoU = 0.5 is not > 0.5, both stay",
        ),
        Case(
            "pc exactly 0.6",
            {
                "boxes": [[0.0, 0.0, 1.0, 1.0], [3.0, 3.0, 4.0, 4.0]],
                "scores": [0.6, 0.7],
            },
            "convention: pc = 0.6 is not < 0.6, it stays",
        ),
        Case(
            "tied scores",
            {
                "boxes": [
                    [0.0, 0.0, 2.0, 2.0],
                    [0.5, 0.0, 2.5, 2.0],
                    [1.0, 0.0, 3.0, 2.0],
                ],
                "scores": [0.8, 0.8, 0.8],
            },
            "convention: equal pc, the lower index first",
        ),
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
    for i, j in itertools.combinations(kept, 2):
        overlap = detection.iou(boxes[i], boxes[j])
        if overlap > 0.5:
            return f"kept boxes {i} and {j} overlap with IoU {overlap:.3f} > 0.5"
    return None


NMS = register(
    ExerciseSpec(
        id="nms",
        title="Non-max suppression",
        topic="6.10",
        entry_point="nms",
        signature="def nms(boxes, scores) -> list[int]",
        statement=(
            "boxes is an (N, 4) array of corners (x1, y1, x2, y2), scores the N "
            "confidences pc. Discard boxes with pc < 0.6; order the rest by pc, highest "
            "first (equal pc: lower index first); keep the first box and discard every "
            "remaining box whose IoU with it is > 0.5; repeat. Return the kept indices "
            "in the order they were kept."
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
            ),
            Mistake(
                "nms-suppress-at-threshold",
                "≥ 0.5 instead of > 0.5",
                "A box is a duplicate only when its IoU with the kept box is strictly "
                "greater than 0.5; at exactly 0.5 it stays.",
                _nms_variant(suppress_equal=True),
            ),
            Mistake(
                "nms-drop-at-threshold",
                "Boxes with pc = 0.6 dropped",
                "The notes drop boxes with pc < 0.6, so a box at exactly 0.6 survives "
                "the threshold.",
                _nms_variant(keep_equal_score=False),
            ),
            Mistake(
                "nms-no-threshold",
                "Low-confidence boxes not dropped",
                "Step 1 of NMS discards every box with pc < 0.6 before anything else.",
                _nms_variant(threshold=False),
            ),
            Mistake(
                "nms-index-order",
                "Kept indices returned in index order",
                "Return the boxes in the order NMS keeps them, which is by decreasing "
                "confidence, not sorted by index.",
                _nms_variant(index_order=True),
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

# --------------------------------------------------------------------- YOLO cells


def _random_centre(rng: np.random.Generator, grid: int) -> list[float]:
    """A normalised box whose centre is at least 0.01 cell from every cell edge."""
    while True:
        cx, cy = rng.uniform(0, 1, size=2)
        offsets = np.array([cx, cy]) * grid % 1
        if np.all((offsets > 0.01) & (offsets < 0.99)):
            w, h = rng.uniform(0.05, 0.6, size=2)
            return [round(float(v), 4) for v in (cx, cy, w, h)]


def yolo_encode_cases(seed: int) -> list[Case]:
    cases = [
        Case(
            "centre cell",
            {"box": [0.5, 0.5, 0.25, 0.5], "grid": 3},
            "edge: the middle of a 3×3 grid",
        ),
        Case(
            "wide box",
            {"box": [0.125, 0.375, 0.75, 0.25], "grid": 4},
            "edge: wider than three cells",
        ),
        Case(
            "cell boundary",
            {"box": [0.5, 0.25, 0.125, 0.125], "grid": 4},
            "convention: centre on a cell edge belongs to the cell to its right/below",
        ),
        Case(
            "image edge",
            {"box": [1.0, 1.0, 0.25, 0.25], "grid": 4},
            "convention: centre on the image's far edge belongs to the last cell",
        ),
        Case(
            "row and column differ",
            {"box": [0.9, 0.1, 0.1, 0.2], "grid": 7},
            "edge: top-right cell",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i, grid in enumerate([7, 13, 19, 7, 13, 5]):
        cases.append(
            Case(
                f"random {i + 1}",
                {"box": _random_centre(rng, grid), "grid": grid},
                "random",
                hidden=i >= 3,
            )
        )
    return cases


def _encode_swapped(box: list[float], grid: int) -> tuple[Any, ...]:
    row, col, bx, by, bw, bh = detection.yolo_encode(box, grid)
    return col, row, by, bx, bw, bh


def _encode_size_of_image(box: list[float], grid: int) -> tuple[Any, ...]:
    row, col, bx, by, _, _ = detection.yolo_encode(box, grid)
    return row, col, bx, by, float(box[2]), float(box[3])


def _encode_absolute_offset(box: list[float], grid: int) -> tuple[Any, ...]:
    row, col, _, _, bw, bh = detection.yolo_encode(box, grid)
    return row, col, box[0] * grid, box[1] * grid, bw, bh


_CELL = fields(
    ("row", equal()),
    ("col", equal()),
    ("bx", allclose(rtol=0, atol=1e-6)),
    ("by", allclose(rtol=0, atol=1e-6)),
    ("bw", allclose(rtol=0, atol=1e-6)),
    ("bh", allclose(rtol=0, atol=1e-6)),
)
_ROW_COL_MISTAKE = (
    "The row is picked by the vertical position (cy) and the column by the "
    "horizontal one (cx): row = ⌊cy·S⌋, col = ⌊cx·S⌋. Tensors are indexed [row, col]."
)

YOLO_ENCODE = register(
    ExerciseSpec(
        id="yolo_encode",
        title="Encode a box for a YOLO grid cell",
        topic="6.10",
        entry_point="yolo_encode",
        signature="def yolo_encode(box, grid) -> tuple[int, int, float, float, float, float]",
        statement=(
            "box is (cx, cy, w, h): the centre and size, normalised to the image "
            "(0 ≤ cx, cy ≤ 1). grid is S. Return (row, col, bx, by, bw, bh): the cell "
            "containing the centre, row = ⌊cy·S⌋ and col = ⌊cx·S⌋ (a centre on the "
            "image's far edge belongs to cell S − 1), the centre's offset inside that "
            "cell bx = cx·S − col, by = cy·S − row, and the size in cells bw = w·S, "
            "bh = h·S (which may exceed 1)."
        ),
        reference=detection.yolo_encode,
        make_cases=yolo_encode_cases,
        compare=_CELL,
        mistakes=(
            Mistake(
                "yolo-row-col-swapped",
                "Row and column swapped",
                _ROW_COL_MISTAKE,
                _encode_swapped,
            ),
            Mistake(
                "yolo-size-relative-to-image",
                "Size measured in images, not in cells",
                "In the notes' encoding bw and bh are relative to a cell: multiply the "
                "normalised width and height by S. That is why they can exceed 1.",
                _encode_size_of_image,
            ),
            Mistake(
                "yolo-offset-not-relative",
                "Centre not made relative to its cell",
                "bx and by are offsets inside the responsible cell, in [0, 1): subtract "
                "the cell's column and row from cx·S and cy·S.",
                _encode_absolute_offset,
            ),
        ),
        properties=(
            Property(
                "yolo-offset-range",
                "the centre's offsets bx, by lie in [0, 1]",
                per_case(
                    lambda kwargs, got: (
                        None
                        if 0 <= float(got[2]) <= 1 and 0 <= float(got[3]) <= 1
                        else f"bx, by = {float(got[2]):g}, {float(got[3]):g}"
                    )
                ),
            ),
        ),
    )
)


def yolo_decode_cases(seed: int) -> list[Case]:
    encoded = list(yolo_encode_cases(seed))
    cases = []
    for case in encoded:
        row, col, bx, by, bw, bh = detection.yolo_encode(
            case.kwargs["box"], case.kwargs["grid"]
        )
        cases.append(
            Case(
                case.name,
                {
                    "row": row,
                    "col": col,
                    "bx": round(bx, 6),
                    "by": round(by, 6),
                    "bw": round(bw, 6),
                    "bh": round(bh, 6),
                    "grid": case.kwargs["grid"],
                },
                case.label.replace("centre on", "centre at"),
                case.hidden,
            )
        )
    return cases


def _decode_swapped(
    row: int, col: int, bx: float, by: float, bw: float, bh: float, grid: int
) -> Any:
    return detection.yolo_decode(col, row, bx, by, bw, bh, grid)


def _decode_size_of_image(
    row: int, col: int, bx: float, by: float, bw: float, bh: float, grid: int
) -> Any:
    return detection.yolo_decode(row, col, bx, by, bw * grid, bh * grid, grid)


def _decode_corner_not_centre(
    row: int, col: int, bx: float, by: float, bw: float, bh: float, grid: int
) -> Any:
    x1, y1 = (col + bx) / grid, (row + by) / grid
    return x1, y1, x1 + bw / grid, y1 + bh / grid


YOLO_DECODE = register(
    ExerciseSpec(
        id="yolo_decode",
        title="Decode a YOLO cell's box to corners",
        topic="6.10",
        entry_point="yolo_decode",
        signature="def yolo_decode(row, col, bx, by, bw, bh, grid) -> tuple[float, float, float, float]",
        statement=(
            "A cell (row, col) of an S×S grid predicts a box with centre offset (bx, by) "
            "inside the cell and size (bw, bh) in cells. Return its corners (x1, y1, x2, y2) "
            "normalised to the image: the centre is ((col + bx)/S, (row + by)/S), the size "
            "(bw/S, bh/S)."
        ),
        reference=detection.yolo_decode,
        make_cases=yolo_decode_cases,
        compare=allclose(rtol=0, atol=1e-6),
        mistakes=(
            Mistake(
                "yolo-decode-row-col-swapped",
                "Row and column swapped",
                _ROW_COL_MISTAKE,
                _decode_swapped,
            ),
            Mistake(
                "yolo-decode-size-not-scaled",
                "Size not divided by the grid",
                "bw and bh count cells; divide by S to get a fraction of the image.",
                _decode_size_of_image,
            ),
            Mistake(
                "yolo-decode-corner-not-centre",
                "Offset used as the top-left corner",
                "(bx, by) locates the box's centre, not its corner: subtract half the "
                "width and height to get (x1, y1).",
                _decode_corner_not_centre,
            ),
        ),
    )
)
