"""Broken (no named mistake): normalises the weights count^(3/4) with a
softmax instead of dividing by their sum."""

import numpy as np


def noise_distribution(counts):
    weights = np.asarray(counts, dtype=float) ** 0.75
    e = np.exp(weights - weights.max())
    return e / e.sum()
