"""Correct: shift, then clamp to [0, 1]."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    return np.clip(image + delta, 0.0, 1.0)
