"""YOLO target encoding: the cell that holds the centre, the offset inside it, the size in cells."""

from engine.ladder.build import BlankSpec, DistractorSpec, Solution

SOLUTION = Solution(
    spec_id="yolo_encode",
    entry_point="yolo_encode",
    source="""
import math


def yolo_encode(box, grid):
    # § The box in image fractions
    cx, cy, w, h = box  # why: the centre and the size, each a fraction of the image
    # § The cell that holds the centre
    col = min(math.floor(cx * grid), grid - 1)  # why: columns count cells along x; a centre on the far edge (cx = 1) belongs to the last cell
    row = min(math.floor(cy * grid), grid - 1)  # why: rows count cells along y, the same way
    # § The centre inside its cell
    bx, by = cx * grid - col, cy * grid - row  # why: the centre in cell units minus the cell's own index leaves the offset inside that cell
    # § The size in cells
    bw, bh = w * grid, h * grid  # why: the image is S cells wide and high, so a fraction of the image times S is a length in cells, which may exceed 1
    # § The encoding
    return row, col, bx, by, bw, bh  # why: the statement's order: the cell's row, then its column, then the four numbers
""",
    blanks=(
        BlankSpec(
            "cx * grid - col, cy * grid - row",
            "where the centre sits inside its own cell, along x and along y",
            ("yolo-offset-not-relative",),
        ),
        BlankSpec(
            "w * grid, h * grid",
            "the box's width and height measured in cells",
            ("yolo-size-relative-to-image",),
        ),
        BlankSpec(
            "row, col, bx, by, bw, bh",
            "the six numbers, in the statement's order",
            ("yolo-row-col-swapped",),
        ),
    ),
    distractors=(
        DistractorSpec(
            "bx, by = cx * grid - col, cy * grid - row",
            "bx, by = cx * grid, cy * grid",
            "yolo-offset-not-relative",
        ),
        DistractorSpec(
            "bw, bh = w * grid, h * grid",
            "bw, bh = w, h",
            "yolo-size-relative-to-image",
        ),
    ),
)
