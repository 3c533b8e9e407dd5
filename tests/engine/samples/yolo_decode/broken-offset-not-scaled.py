"""Broken: the cell's corner is divided by S but the offset inside the cell is
not: cx = col/S + bx instead of (col + bx)/S."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    cx = col / grid + bx
    cy = row / grid + by
    w, h = bw / grid, bh / grid
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
