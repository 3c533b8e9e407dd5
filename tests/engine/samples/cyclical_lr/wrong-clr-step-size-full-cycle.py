"""Wrong (named mistake clr-step-size-full-cycle): the whole up-and-down cycle
lasts step_size steps instead of 2 * step_size."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    position = (np.asarray(steps, dtype=float) % step_size) / step_size  # in [0, 1)
    triangle = 1 - np.abs(2 * position - 1)
    return lr_min + (lr_max - lr_min) * triangle
