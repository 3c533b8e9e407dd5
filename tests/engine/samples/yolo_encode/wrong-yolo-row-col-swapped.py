"""Wrong (yolo-row-col-swapped): the row is taken from cx and the column from cy."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    row = min(int(math.floor(cx * grid)), grid - 1)
    col = min(int(math.floor(cy * grid)), grid - 1)
    return row, col, cy * grid - col, cx * grid - row, w * grid, h * grid
