"""Broken: ignores top and left and cuts the height x width window from the
centre of the image (a centre crop)."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    h, w = image.shape[-2:]
    r, c = (h - height) // 2, (w - width) // 2
    return image[..., r : r + height, c : c + width]
