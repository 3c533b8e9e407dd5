"""Correct: a quarter turn counter-clockwise is 'reverse the columns, then
transpose'; grouped by image, labels 0-3."""

import numpy as np


def turn(image, k):
    """k quarter turns counter-clockwise on the last two axes."""
    for _ in range(k % 4):
        image = np.swapaxes(image[..., ::-1], -1, -2)
    return image


def rotation_pretext(images):
    images = np.asarray(images, dtype=float)
    rotated, labels = [], []
    for image in images:
        for k in range(4):
            rotated.append(turn(image, k))
            labels.append(k)
    return np.stack(rotated), np.array(labels)
