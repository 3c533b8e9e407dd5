"""Wrong (named mistake flip-vertical): reverses the rows (axis -2): upside down."""

import numpy as np


def horizontal_flip(image):
    image = np.asarray(image, dtype=float)
    return image[..., ::-1, :]
