"""Broken: cycle = floor(step / (2 * step_size)), without Smith's "1 +": the
cycle counter is one too small, so x never drops below 1 and the rate stays at
lr_min."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    t = np.asarray(steps, dtype=float)
    cycle = np.floor(t / (2 * step_size))
    x = np.abs(t / step_size - 2 * cycle + 1)
    return lr_min + (lr_max - lr_min) * np.maximum(0, 1 - x)
