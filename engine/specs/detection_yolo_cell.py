"""Exercise spec for lecture 6.10: decoding YOLO v1's whole output grid, two
boxes per cell and one set of class probabilities per cell, into scored
corner boxes ready for non-max suppression (one cell's single box is
`yolo_decode`, in `detection_yolo`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compare import Outcome, allclose, as_float_array, equal, fields
from engine.reference import detection_grid
from engine.specs import register
from engine.specs.base import (
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)
from engine.specs.detection_yolo_cell_cases import yolo_grid_cases

GRID_SHAPES = (
    "boxes of shape (N, 4), scores of shape (N,) and classes of shape (N,), "
    "N being the number of boxes kept"
)
# ------------------------------------------------------------------ comparing

_NEAR = allclose(rtol=0, atol=1e-5)


def _boxes(expected: Any, got: Any) -> Outcome:
    """The kept boxes: an empty result may come as any empty array or list,
    and a different number of boxes is said in words."""
    want = np.asarray(expected, dtype=np.float64)
    have = as_float_array(got)
    if want.size == 0 and have is not None and have.size == 0:
        return Outcome(True, 1.0, "correct", 0.0)
    if have is not None and have.ndim == 2 and have.shape[0] != want.shape[0]:
        return Outcome(
            False, 0.0, f"expected {want.shape[0]} boxes, got {have.shape[0]}"
        )
    return _NEAR(expected, got)


def _scores(expected: Any, got: Any) -> Outcome:
    have = as_float_array(got)
    if np.size(expected) == 0 and have is not None and have.size == 0:
        return Outcome(True, 1.0, "correct", 0.0)
    if have is not None and have.ndim == 1 and have.size != np.size(expected):
        return Outcome(
            False, 0.0, f"expected {np.size(expected)} scores, got {have.size}"
        )
    return _NEAR(expected, got)


_GRID = fields(("boxes", _boxes), ("scores", _scores), ("classes", equal()))

# ------------------------------------------------------------ wrong variants


def _grid_variant(
    *,
    classes_first: bool = False,
    first_box_only: bool = False,
    best_box_only: bool = False,
    swapped: bool = False,
    size_in_images: bool = False,
    halve: bool = True,
    pc_only: bool = False,
    first_class: int = 0,
    offset_scaled: bool = True,
) -> Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The decoding with one misconception switched on."""

    def run(output: Any, threshold: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        grid = np.asarray(output, dtype=np.float64)
        size, depth = grid.shape[0], grid.shape[2]
        k = detection_grid.class_count(depth)
        if classes_first:
            probabilities, boxes = grid[..., :k], grid[..., k:]
        else:
            boxes, probabilities = grid[..., :10], grid[..., 10:]
        boxes = boxes.reshape(size, size, 2, 5)
        pc, bx, by, bw, bh = np.moveaxis(boxes, -1, 0)
        scores = pc if pc_only else pc * probabilities.max(-1)[..., None]
        rows, cols = np.indices((size, size))[..., None]
        if swapped:
            rows, cols = cols, rows
        if offset_scaled:
            cx, cy = (cols + bx) / size, (rows + by) / size
        else:
            cx, cy = cols / size + bx, rows / size + by
        w, h = (bw, bh) if size_in_images else (bw / size, bh / size)
        part = 0.5 if halve else 1.0
        corners = np.stack(
            [cx - part * w, cy - part * h, cx + part * w, cy + part * h], -1
        )
        classes = np.repeat(probabilities.argmax(-1)[..., None], 2, -1) + first_class
        kept = scores >= threshold
        if first_box_only:
            kept[..., 1] = False
        if best_box_only:
            kept &= np.eye(2, dtype=bool)[pc.argmax(-1)]
        kept_scores = scores[kept]
        order = np.argsort(-kept_scores, kind="stable")
        return corners[kept][order], kept_scores[order], classes[kept][order]

    return run


# ------------------------------------------------------------------------ spec


def _grid_shapes(kwargs: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    kept = len(detection_grid.yolo_grid_boxes(**kwargs)[1])
    return ((kept, 4), (kept,), (kept,))


def _sorted_scores(kwargs: dict[str, Any], got: Any) -> str | None:
    scores = np.asarray(got[1], dtype=float).reshape(-1)
    if np.any(np.diff(scores) > 1e-9):
        return "the scores do not come highest first"
    return None


_OFFSETS = "`pc, bx, by, bw, bh = cell[5 * b : 5 * b + 5]` for box b = 0, 1"

YOLO_GRID = register(
    ExerciseSpec(
        id="yolo_grid_boxes",
        title="Decode YOLO v1's output grid: two boxes per cell",
        topic="6.10",
        entry_point="yolo_grid_boxes",
        signature="def yolo_grid_boxes(output, threshold) -> tuple[array, array, array]",
        statement=(
            "output is the network's (S, S, 5B + K) output with B = 2 boxes per cell "
            "and K classes (YOLO v1 on PASCAL VOC: a 7 × 7 × 30 tensor, S = 7, K = 20); "
            "output[row, col] is the cell in row `row` from the top and column `col` from "
            "the left. A cell's vector is [pc, bx, by, bw, bh] of box 1, then the same "
            "five of box 2, then the K class probabilities c_0 … c_(K−1), shared by both "
            "boxes. (bx, by) is the box centre's offset inside its cell and, as in the "
            "notes, bw, bh are the size in cells (not in images, as in the YOLO v1 "
            "paper). Decode every box of every cell to corners (x1, y1, x2, y2) "
            "normalised to the image, not clipped: centre ((col + bx)/S, (row + by)/S), "
            "size (bw/S, bh/S). Its score is pc × max_k c_k and its class the 0-based "
            "argmax_k c_k. Keep the boxes whose score is ≥ threshold, both boxes of a "
            "cell included, and return (boxes, scores, classes): "
            f"{GRID_SHAPES}, ordered by decreasing score (no two kept scores are equal "
            "in the graded cases)."
        ),
        reference=detection_grid.yolo_grid_boxes,
        make_cases=yolo_grid_cases,
        compare=_GRID,
        shapes=(ShapePromise(GRID_SHAPES, lambda kwargs: True, _grid_shapes),),
        mistakes=(
            Mistake(
                "yolo-grid-classes-first",
                "Class probabilities read from the front of the cell",
                "The popular 'YOLO v1 from scratch' code stores the classes first, "
                "[c_0 … c_(K−1), pc, bx, by, bw, bh, pc, …]. Here the two boxes come "
                "first: box b occupies entries 5b … 5b + 4 and the classes are the last "
                "K entries, from index 10 on.",
                _grid_variant(classes_first=True),
                point="Which entries of a cell's vector are the class probabilities: the first K or the last K? Check what your code takes as box 1's pc.",
                fix="`probs = cell[10:]`; " + _OFFSETS,
            ),
            Mistake(
                "yolo-grid-first-box-only",
                "Only the first box of each cell",
                "Every cell predicts B = 2 boxes and each is scored on its own: "
                "S·S·2 candidates (98 for YOLO v1), not S·S.",
                _grid_variant(first_box_only=True),
                point="How many boxes does each cell offer? In the visible case 'two boxes in a cell', where is box 2 of cell (0, 2)?",
                fix="Loop `for b in range(2):` over the cell's boxes, reading "
                + _OFFSETS,
            ),
            Mistake(
                "yolo-grid-best-box-only",
                "Only the more confident box of each cell",
                "One box per cell belongs to training, where the predictor whose box "
                "overlaps the object most is made 'responsible' for it, and to some "
                "tutorial code that keeps the more confident box. At detection time "
                "YOLO v1 scores every box, both of each cell, and leaves duplicates to "
                "non-max suppression.",
                _grid_variant(best_box_only=True),
                point="Do you compare a cell's two boxes with each other before thresholding? Look at cell (0, 2) of the visible case 'two boxes in a cell'.",
                fix="Score both boxes, `score = pc_b * max(probs)` for b = 0, 1, and keep each one whose score is ≥ threshold, whatever the other box's pc",
            ),
            Mistake(
                "yolo-grid-row-col-swapped",
                "Row and column swapped",
                "output[row, col]: the first index is the row, which goes with the "
                "vertical coordinate: cx = (col + bx)/S, cy = (row + by)/S.",
                _grid_variant(swapped=True),
                point="Which grid index goes with bx, the horizontal offset: the first index of output or the second?",
                fix="`cx = (col + bx) / S`; `cy = (row + by) / S` for the cell `output[row, col]`",
            ),
            Mistake(
                "yolo-grid-score-pc-only",
                "Score is pc alone",
                "pc says there is an object; the class-specific score pc × c_k also "
                "says how sure the cell is of its class. Threshold and order by "
                "pc × max_k c_k.",
                _grid_variant(pc_only=True),
                point="What number do you compare with the threshold? Look at the visible case 'confident box, unsure class'.",
                fix="`score = pc * max(probs)`; keep the box when `score >= threshold`",
            ),
            Mistake(
                "yolo-grid-size-in-images",
                "bw, bh taken as fractions of the image",
                "The YOLO v1 paper predicts the width and height relative to the whole "
                "image; the notes (and this exercise) measure them in cells, so divide "
                "them by S.",
                _grid_variant(size_in_images=True),
                point="In what unit are bw and bh given, and in what unit must the corners be?",
                fix="`w, h = bw / S, bh / S`; `x1, x2 = cx - w / 2, cx + w / 2` (and likewise for y)",
            ),
            Mistake(
                "yolo-grid-corners-not-halved",
                "Whole width on each side of the centre",
                "The centre lies halfway between the corners: x1 = cx − w/2 and "
                "x2 = cx + w/2. Subtracting the whole width makes every box twice as "
                "wide and twice as tall.",
                _grid_variant(halve=False),
                point="How far is a box's left edge from its centre: its whole width, or part of it?",
                fix="`x1, y1, x2, y2 = cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2`",
            ),
            Mistake(
                "yolo-grid-offset-not-scaled",
                "Offset inside the cell not divided by S",
                "bx is measured in cells, like the column index: add them first, then "
                "divide the sum by S. col/S + bx moves the centre by up to a whole "
                "image instead of one cell.",
                _grid_variant(offset_scaled=False),
                point="Look at how you turn (col, bx) into cx: is every term in the same unit before you add them?",
                fix="`cx = (col + bx) / S`; `cy = (row + by) / S`, not `col / S + bx`",
            ),
            Mistake(
                "yolo-grid-class-one-based",
                "Classes numbered from 1",
                "The notes write the classes c₁ … c_k, but the class returned is the "
                "0-based index of the largest probability in the cell's class block, "
                "as argmax gives it.",
                _grid_variant(first_class=1),
                point="Which class number does the first class probability of the cell have in your output?",
                fix="`cls = int(np.argmax(probs))`, with no `+ 1`",
            ),
        ),
        properties=(
            Property(
                "yolo-grid-sorted",
                "the scores come highest first",
                per_case(_sorted_scores),
            ),
        ),
        forbidden=("torchvision",),
    )
)
