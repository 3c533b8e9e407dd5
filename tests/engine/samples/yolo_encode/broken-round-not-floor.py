"""Broken: the cell index is rounded to the nearest integer instead of floored, so
a centre in the right half of a cell is given the next cell (and a negative offset)."""


def yolo_encode(box, grid):
    cx, cy, w, h = box
    col = min(round(cx * grid), grid - 1)
    row = min(round(cy * grid), grid - 1)
    return row, col, cx * grid - col, cy * grid - row, w * grid, h * grid
