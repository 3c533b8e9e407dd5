"""Broken: computes the cell right but returns it as (col, row, ...), x before y,
instead of (row, col, ...)."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(math.floor(cx * grid), grid - 1)
    row = min(math.floor(cy * grid), grid - 1)
    return col, row, cx * grid - col, cy * grid - row, w * grid, h * grid
