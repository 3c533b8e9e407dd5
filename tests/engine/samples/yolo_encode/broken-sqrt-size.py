"""Broken: the size is encoded as a square root, sqrt(w·S), as the YOLOv1 loss
uses it; the notes' bw is w·S itself."""

import math


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(math.floor(cx * grid), grid - 1)
    row = min(math.floor(cy * grid), grid - 1)
    bw, bh = math.sqrt(w * grid), math.sqrt(h * grid)
    return row, col, cx * grid - col, cy * grid - row, bw, bh
