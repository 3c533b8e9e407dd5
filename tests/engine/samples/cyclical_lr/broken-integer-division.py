"""Broken: step // step_size (integer division) inside the triangle, so the
rate jumps between lr_min and lr_max instead of moving linearly."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    t = np.asarray(steps)
    cycle = np.floor(1 + t // (2 * step_size))
    x = np.abs(t // step_size - 2 * cycle + 1)
    return lr_min + (lr_max - lr_min) * np.maximum(0, 1 - x)
