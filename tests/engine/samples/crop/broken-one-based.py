"""Broken: treats top and left as 1-based and subtracts one: the window starts
a row above and a column left of the right one (and wraps at 0)."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    r, c = top - 1, left - 1
    return image[..., r : r + height, c : c + width]
