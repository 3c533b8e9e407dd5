"""Broken: turns an image with image.T[::-1], right for an (H, W) image, but
.T reverses ALL the axes of a (C, H, W) image, moving the channels last."""

import numpy as np


def rotation_pretext(images):
    images = np.asarray(images, dtype=float)
    rotated, labels = [], []
    for image in images:
        turned = image
        for k in range(4):
            rotated.append(turned)
            labels.append(k)
            turned = turned.T[::-1]
    return np.stack(rotated), np.array(labels)
