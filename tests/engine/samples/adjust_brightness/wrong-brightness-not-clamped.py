"""Wrong (named mistake brightness-not-clamped): no clamping."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    return image + delta
