"""Wrong (named mistake crop-one-too-many): inclusive ends, one extra row and
column."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    return image[..., top : top + height + 1, left : left + width + 1]
