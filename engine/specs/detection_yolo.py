"""Exercise specs for lecture 6.10: encoding a box for a YOLO grid cell and
decoding a cell's box back to corners."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose, equal, fields
from engine.reference import detection
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case


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
            "edge: the middle cell of a 3×3 grid",
        ),
        Case(
            "wide box",
            {"box": [0.125, 0.375, 0.75, 0.25], "grid": 4},
            "edge: a box three cells wide (bw = 3)",
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
            "edge: the top-right cell (row 0, column 6)",
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


# float32 arithmetic (torch's default dtype) is a correct way to compute these:
# c·S for S = 19 carries an error of about 1e-6, so the tolerance is 1e-5.
_NEAR = allclose(rtol=0, atol=1e-5)
_CELL = fields(
    ("row", equal()),
    ("col", equal()),
    ("bx", _NEAR),
    ("by", _NEAR),
    ("bw", _NEAR),
    ("bh", _NEAR),
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
                point="Which coordinate of the centre picks the row, and which the column? Check your output for the visible case 'row and column differ'.",
                fix="`cx, cy, w, h = box`; `col = min(int(cx * grid), grid - 1)`; `row = min(int(cy * grid), grid - 1)`; `return row, col, cx * grid - col, cy * grid - row, w * grid, h * grid`",
            ),
            Mistake(
                "yolo-size-relative-to-image",
                "Size measured in images, not in cells",
                "In the notes' encoding bw and bh are relative to a cell: multiply the "
                "normalised width and height by S. That is why they can exceed 1.",
                _encode_size_of_image,
                point="In what unit are your bw and bh: fractions of the image, or cells? In the visible 'wide box' case the box spans three cells.",
                fix="`bw, bh = w * grid, h * grid` (with `cx, cy, w, h = box`)",
            ),
            Mistake(
                "yolo-offset-not-relative",
                "Centre not made relative to its cell",
                "bx and by are offsets inside the responsible cell, between 0 and 1: subtract "
                "the cell's column and row from cx·S and cy·S.",
                _encode_absolute_offset,
                point="bx and by must lie between 0 and 1: from which point do you measure them, the image's top-left corner or the responsible cell's?",
                fix="`bx = cx * grid - col`; `by = cy * grid - row`",
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


# What each decoding case is; the names are those of the encoding cases it
# is built from.
_DECODE_LABELS = {
    "centre cell": "edge: the middle cell of a 3×3 grid",
    "wide box": "edge: a box three cells wide (bw = 3)",
    "cell boundary": "edge: offset (0, 0), the centre on the cell's top-left corner",
    "image edge": "edge: offset (1, 1) in the last cell, the centre on the image's "
    "bottom-right corner",
    "row and column differ": "edge: the top-right cell (row 0, column 6)",
}


def yolo_decode_cases(seed: int) -> list[Case]:
    cases = []
    for case in yolo_encode_cases(seed):
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
                _DECODE_LABELS.get(case.name, case.label),
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
        compare=_NEAR,
        mistakes=(
            Mistake(
                "yolo-decode-row-col-swapped",
                "Row and column swapped",
                "The column goes with the horizontal coordinate and the row with the "
                "vertical one: cx = (col + bx)/S, cy = (row + by)/S.",
                _decode_swapped,
                point="Which of row and col goes with bx, the horizontal offset? Check the x-coordinates you return for the visible case 'row and column differ'.",
                fix="`cx = (col + bx) / grid`; `cy = (row + by) / grid`",
            ),
            Mistake(
                "yolo-decode-size-not-scaled",
                "Size not divided by the grid",
                "bw and bh count cells; divide by S to get a fraction of the image.",
                _decode_size_of_image,
                point="In what unit are bw and bh given, and in what unit must the corners be? Compare your box's width with the image's for the visible 'wide box' case.",
                fix="`w, h = bw / grid, bh / grid`; `return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2`",
            ),
            Mistake(
                "yolo-decode-corner-not-centre",
                "Offset used as the top-left corner",
                "(bx, by) locates the box's centre, not its corner: subtract half the "
                "width and height to get (x1, y1).",
                _decode_corner_not_centre,
                point="Which point of the box does ((col + bx)/S, (row + by)/S) locate: its centre or its top-left corner? Look at how you turn it into x1 and y1.",
                fix="`cx, cy = (col + bx) / grid, (row + by) / grid`; `w, h = bw / grid, bh / grid`; `return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2`",
            ),
        ),
    )
)
