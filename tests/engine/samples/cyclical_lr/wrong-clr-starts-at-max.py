"""Wrong (named mistake clr-starts-at-max): the triangle is upside down, lr_max
at step 0."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    steps = np.asarray(steps, dtype=float)
    cycle = np.floor(1 + steps / (2 * step_size))
    x = np.abs(steps / step_size - 2 * cycle + 1)
    return lr_max - (lr_max - lr_min) * np.maximum(0.0, 1 - x)
