"""Broken: the cell index as ceil(c·S) − 1, which equals floor(c·S) except on a
cell edge, where the centre is given to the cell on its left/above (offset 1)."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = max(math.ceil(cx * grid) - 1, 0)
    row = max(math.ceil(cy * grid) - 1, 0)
    return row, col, cx * grid - col, cy * grid - row, w * grid, h * grid
