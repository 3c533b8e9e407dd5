"""Correct: rows top .. top + height - 1, columns left .. left + width - 1."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    return image[..., top : top + height, left : left + width]
