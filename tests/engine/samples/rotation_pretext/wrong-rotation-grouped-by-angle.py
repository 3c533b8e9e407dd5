"""Wrong (named mistake rotation-grouped-by-angle): all images at 0 degrees,
then all at 90, and so on."""

import numpy as np


def turn(image, k):
    """k quarter turns counter-clockwise on the last two axes."""
    for _ in range(k % 4):
        image = np.swapaxes(image[..., ::-1], -1, -2)
    return image


def rotation_pretext(images):
    images = np.asarray(images, dtype=float)
    rotated, labels = [], []
    for k in range(4):
        for image in images:
            rotated.append(turn(image, k))
            labels.append(k)
    return np.stack(rotated), np.array(labels)
