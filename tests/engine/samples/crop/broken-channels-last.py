"""Broken: assumes a channels-last (H, W, C) image and slices the first two
axes, so a (C, H, W) image is cut along its channels and rows."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    return image[top : top + height, left : left + width]
