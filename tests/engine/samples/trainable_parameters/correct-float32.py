"""Correct: the counts computed as float32 products with NumPy (exact: every
count here is below 2^24), returned as Python ints."""

import numpy as np


def trainable_parameters(base_layers, num_classes):
    layers = np.asarray(base_layers, dtype=np.float32)
    base = np.sum(np.prod(layers, axis=1) + layers[:, 1])
    channels, k = layers[-1, 1], np.float32(num_classes)
    head = channels * 256 + 256 + 256 * k + k
    return int(base + head), int(head)
