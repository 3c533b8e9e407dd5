"""Correct: divmod splits c·S into the cell index and the offset; a centre on the
far edge is moved into the last cell. Returns NumPy float32 scalars."""

import numpy as np


def split(position, cells):
    index, offset = divmod(position * cells, 1.0)
    index = int(index)
    if index == cells:  # the centre lies on the image's far edge
        index, offset = cells - 1, 1.0
    return index, offset


def yolo_encode(box, grid):
    cx, cy, w, h = (np.float32(v) for v in box)
    col, bx = split(cx, grid)
    row, by = split(cy, grid)
    return row, col, np.float32(bx), np.float32(by), w * grid, h * grid
