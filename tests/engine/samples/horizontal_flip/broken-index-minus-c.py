"""Broken: off by one in the column loop: out[..., c] = image[..., -c] keeps
column 0 in place (index -0 is 0) and reverses only the others; the mirror of
column c is W - 1 - c."""

import numpy as np


def horizontal_flip(image):
    image = np.asarray(image, dtype=float)
    out = np.empty_like(image)
    for c in range(image.shape[-1]):
        out[..., c] = image[..., -c]
    return out
