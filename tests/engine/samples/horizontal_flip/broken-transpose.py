"""Broken: swaps the last two axes (a transpose, a mirror about the diagonal)
instead of reversing the columns."""

import numpy as np


def horizontal_flip(image):
    image = np.asarray(image, dtype=float)
    return np.swapaxes(image, -1, -2)
