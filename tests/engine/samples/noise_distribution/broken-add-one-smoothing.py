"""Broken (no named mistake): adds one to every count before the 3/4 power
(Laplace smoothing), so unseen words get a probability they should not have
and every other probability shifts."""

import numpy as np


def noise_distribution(counts):
    weights = (np.asarray(counts, dtype=float) + 1) ** 0.75
    return weights / weights.sum()
