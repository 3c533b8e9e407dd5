"""Wrong (named mistake brightness-clamped-to-255): the 8-bit range."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    return np.clip(image + delta, 0, 255)
