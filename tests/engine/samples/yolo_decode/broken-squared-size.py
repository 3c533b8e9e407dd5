"""Broken: squares bw and bh, as if the network predicted square roots (YOLOv1's
loss); in the notes bw, bh are the size in cells."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    cx, cy = (col + bx) / grid, (row + by) / grid
    w, h = bw**2 / grid, bh**2 / grid
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
