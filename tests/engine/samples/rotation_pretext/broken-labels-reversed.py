"""Broken: the images are turned counter-clockwise but labelled as if the turns
were clockwise: 90° gets label 3 and 270° label 1."""

import numpy as np


def turn(image, k):
    for _ in range(k):
        image = np.swapaxes(image, -1, -2)[..., ::-1, :]
    return image


def rotation_pretext(images):
    images = np.asarray(images, dtype=float)
    rotated, labels = [], []
    for image in images:
        for k in range(4):
            rotated.append(turn(image, k))
            labels.append((4 - k) % 4)
    return np.stack(rotated), np.array(labels)
