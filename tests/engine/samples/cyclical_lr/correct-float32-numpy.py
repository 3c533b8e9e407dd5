"""Correct: NumPy float32 throughout, the triangle as 1 - |position / step_size - 1|
with the position in the cycle taken modulo 2 * step_size."""

import numpy as np


def cyclical_lr(steps, lr_min, lr_max, step_size):
    steps = np.asarray(steps, dtype=np.float32)
    low, high = np.float32(lr_min), np.float32(lr_max)
    position = np.mod(steps, np.float32(2 * step_size))
    triangle = 1 - np.abs(position / np.float32(step_size) - 1)
    return low + (high - low) * triangle
