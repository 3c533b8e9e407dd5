"""Broken: subtracts and adds the whole width and height around the centre
instead of half of them, so the box is twice as large."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    cx, cy = (col + bx) / grid, (row + by) / grid
    w, h = bw / grid, bh / grid
    return cx - w, cy - h, cx + w, cy + h
