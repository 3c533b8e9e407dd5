"""Broken: reverses both the rows and the columns, which turns the image by
180° instead of mirroring it left to right."""

import numpy as np


def horizontal_flip(image):
    image = np.asarray(image, dtype=float)
    return image[..., ::-1, ::-1]
