"""Broken (no named mistake): the wrong smoothing exponent, 1/2 instead of
3/4 (then normalised correctly)."""

import numpy as np


def noise_distribution(counts):
    weights = np.sqrt(np.asarray(counts, dtype=float))
    return weights / weights.sum()
