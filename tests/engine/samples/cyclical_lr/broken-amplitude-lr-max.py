"""Broken: wrong amplitude: lr_min + lr_max * triangle instead of
lr_min + (lr_max - lr_min) * triangle, so the peak is lr_min + lr_max."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    t = np.asarray(steps, dtype=float)
    cycle = np.floor(1 + t / (2 * step_size))
    x = np.abs(t / step_size - 2 * cycle + 1)
    return lr_min + lr_max * np.maximum(0, 1 - x)
