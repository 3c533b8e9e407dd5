"""Broken: writes every rotation into one reused buffer and appends that same
array each time, so all four copies end up holding the last rotation."""

import numpy as np


def rotation_pretext(images):
    images = np.asarray(images, dtype=float)
    size = images.shape[-1]
    rotated, labels = [], []
    for image in images:
        buffer = np.empty_like(image)
        current = image.copy()
        for k in range(4):
            for r in range(size):
                for c in range(size):
                    buffer[..., r, c] = current[..., r, c]
            rotated.append(buffer)
            labels.append(k)
            current = np.swapaxes(current, -1, -2)[..., ::-1, :]
    return np.stack(rotated), np.array(labels)
