"""Wrong (named mistake flip-numpy-fliplr): np.fliplr reverses axis 1, the width
only for 2-D images."""

import numpy as np


def horizontal_flip(image):
    image = np.asarray(image, dtype=float)
    return np.fliplr(image)
