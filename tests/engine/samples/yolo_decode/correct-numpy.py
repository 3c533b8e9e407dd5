"""Correct: centre from cell + offset, size from cells, all divided by S."""

import numpy as np


def yolo_decode(row, col, bx, by, bw, bh, grid):
    centre = np.array([col + bx, row + by]) / grid
    half = np.array([bw, bh]) / grid / 2
    return np.concatenate([centre - half, centre + half])
