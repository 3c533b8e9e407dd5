"""Wrong (named mistake brightness-clamped-above-only): only values above 1 are
clipped."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    return np.minimum(image + delta, 1.0)
