"""Broken: top and left are exchanged (the corner read as (x, y)) while the
height and width stay in place."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    return image[..., left : left + height, top : top + width]
