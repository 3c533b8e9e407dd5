"""Wrong (named mistake flip-first-axis): np.flipud reverses axis 0."""

import numpy as np


def horizontal_flip(image):
    image = np.asarray(image, dtype=float)
    return np.flipud(image)
