"""Broken: copies columns in place inside the input array, so the right half has
already been overwritten when it is read: the result is symmetric, the left
half mirrored onto the right."""

import numpy as np


def horizontal_flip(image):
    out = np.asarray(image, dtype=float)
    width = out.shape[-1]
    for c in range(width):
        out[..., c] = out[..., width - 1 - c]
    return out
