"""Broken: treats row and col as numbered from 1 and subtracts 1, moving the box
one cell up and to the left."""


def yolo_decode(row, col, bx, by, bw, bh, grid):
    cx = (col - 1 + bx) / grid
    cy = (row - 1 + by) / grid
    w, h = bw / grid, bh / grid
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2
