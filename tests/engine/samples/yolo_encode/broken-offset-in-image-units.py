"""Broken: the offset from the cell's corner is measured in image units,
cx − col/S, instead of in cells, cx·S − col."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(math.floor(cx * grid), grid - 1)
    row = min(math.floor(cy * grid), grid - 1)
    return row, col, cx - col / grid, cy - row / grid, w * grid, h * grid
