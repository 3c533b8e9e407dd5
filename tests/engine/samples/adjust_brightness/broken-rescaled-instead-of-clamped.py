"""Broken: after the shift it rescales the values to [0, 1] (min-max
normalisation) instead of clamping them, which undoes the shift."""

import numpy as np


def adjust_brightness(image, delta):
    shifted = np.asarray(image, dtype=float) + delta
    low, high = shifted.min(), shifted.max()
    if high == low:
        return np.clip(shifted, 0.0, 1.0)
    return (shifted - low) / (high - low)
