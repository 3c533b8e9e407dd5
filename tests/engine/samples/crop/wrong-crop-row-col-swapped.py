"""Wrong (named mistake crop-row-col-swapped): (left, width) index the rows, as
if the image were indexed [x, y]."""

import numpy as np


def crop(image, top, left, height, width):
    image = np.asarray(image, dtype=float)
    return image[..., left : left + width, top : top + height]
