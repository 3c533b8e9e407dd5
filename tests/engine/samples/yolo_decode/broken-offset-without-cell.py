"""Broken: the offset is taken as the centre itself, bx/S, forgetting to add the
cell's column and row."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    cx, cy = bx / grid, by / grid
    w, h = bw / grid, bh / grid
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
