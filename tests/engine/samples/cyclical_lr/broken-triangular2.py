"""Broken: halves the amplitude after every cycle (the 'triangular2' policy)
where the plain triangular schedule keeps it."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    t = np.asarray(steps, dtype=float)
    cycle = np.floor(1 + t / (2 * step_size))
    x = np.abs(t / step_size - 2 * cycle + 1)
    scale = 1 / 2 ** (cycle - 1)
    return lr_min + (lr_max - lr_min) * np.maximum(0, 1 - x) * scale
