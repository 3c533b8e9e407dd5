"""Broken: subtracts delta (sign error): a positive delta darkens the image."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    return np.clip(image - delta, 0.0, 1.0)
