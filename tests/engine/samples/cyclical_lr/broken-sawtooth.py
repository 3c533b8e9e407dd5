"""Broken: a sawtooth instead of a triangle: the rate climbs for the whole
cycle of 2 * step_size steps and then drops straight back to lr_min."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    t = np.asarray(steps, dtype=float)
    fraction = (t % (2 * step_size)) / (2 * step_size)
    return lr_min + (lr_max - lr_min) * fraction
