"""Wrong (yolo-size-relative-to-image): width and height left as image fractions."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(int(math.floor(cx * grid)), grid - 1)
    row = min(int(math.floor(cy * grid)), grid - 1)
    return row, col, cx * grid - col, cy * grid - row, w, h
