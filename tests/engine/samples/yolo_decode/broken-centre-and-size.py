"""Broken: returns the box as (cx, cy, w, h), normalised, instead of its corners
(x1, y1, x2, y2)."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    return (col + bx) / grid, (row + by) / grid, bw / grid, bh / grid
