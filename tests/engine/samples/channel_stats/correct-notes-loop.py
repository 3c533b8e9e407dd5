"""Correct: the notes' loop p[..., c] over channels-last data; channels-first
data is first moved to channels-last."""

import numpy as np


def channel_stats(activations, layout):
    p = np.asarray(activations, dtype=float)
    if layout == "channels_first":
        p = np.moveaxis(p, 1, -1)
    mins, maxs, means = [], [], []
    for c in range(p.shape[-1]):
        values = p[..., c]
        mins.append(np.min(values))
        maxs.append(np.max(values))
        means.append(np.mean(values))
    return np.array(mins), np.array(maxs), np.array(means)
