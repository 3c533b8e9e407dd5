"""Broken: wraps values around with a modulo (as 8-bit integers overflow)
instead of clamping them: 1.0 + 0.25 becomes 0.25."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    shifted = image + delta
    return np.where(shifted == 1.0, 1.0, shifted % 1.0)
