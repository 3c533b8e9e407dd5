"""Broken: cells numbered from 1 (row 1 is the top row), so row and column are one
too large; the offsets inside the cell are right."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(math.floor(cx * grid), grid - 1)
    row = min(math.floor(cy * grid), grid - 1)
    return row + 1, col + 1, cx * grid - col, cy * grid - row, w * grid, h * grid
