"""Broken: y measured upwards from the bottom of the image (row 0 at the bottom),
although the grid's origin is the top-left corner."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    cy = 1.0 - cy
    col = min(math.floor(cx * grid), grid - 1)
    row = min(math.floor(cy * grid), grid - 1)
    return row, col, cx * grid - col, cy * grid - row, w * grid, h * grid
