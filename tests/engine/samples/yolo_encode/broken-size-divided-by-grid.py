"""Broken: the size divided by S instead of multiplied (w / S), as if converting
to cells meant shrinking."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(math.floor(cx * grid), grid - 1)
    row = min(math.floor(cy * grid), grid - 1)
    return row, col, cx * grid - col, cy * grid - row, w / grid, h / grid
