"""Broken: converts to 8-bit pixels and back: truncating to integers 0-255 loses
precision (0.25 becomes 63/255), so the values are no longer exact."""

import numpy as np


def adjust_brightness(image, delta):
    image = np.asarray(image, dtype=float)
    pixels = np.clip((image + delta) * 255, 0, 255).astype(np.uint8)
    return pixels / 255.0
