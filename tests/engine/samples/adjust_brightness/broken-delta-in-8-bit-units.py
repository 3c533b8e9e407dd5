"""Broken: treats delta as an 8-bit step and adds delta / 255, so the shift is
255 times too small for images in [0, 1]."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    return np.clip(image + delta / 255.0, 0.0, 1.0)
