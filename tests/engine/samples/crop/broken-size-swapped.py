"""Broken: the window's height and width are exchanged (width rows, height
columns), while top and left are used correctly."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    return image[..., top : top + width, left : left + height]
