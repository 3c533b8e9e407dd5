"""Wrong (no named mistake): a centre on the image's far edge gets row/col S."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = int(math.floor(cx * grid))
    row = int(math.floor(cy * grid))
    return row, col, cx * grid - col, cy * grid - row, w * grid, h * grid
