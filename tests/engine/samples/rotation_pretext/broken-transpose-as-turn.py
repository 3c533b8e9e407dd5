"""Broken: uses a transpose as the quarter turn; a transpose mirrors the image
about its diagonal, and two of them give back the original, not a 180° turn."""

import numpy as np


def rotation_pretext(images):
    images = np.asarray(images, dtype=float)
    rotated, labels = [], []
    for image in images:
        turned = image
        for k in range(4):
            rotated.append(turned)
            labels.append(k)
            turned = np.swapaxes(turned, -1, -2)
    return np.stack(rotated), np.array(labels)
