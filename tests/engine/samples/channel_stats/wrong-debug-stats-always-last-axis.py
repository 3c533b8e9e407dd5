"""Wrong (named mistake debug-stats-always-last-axis): the notes' Keras loop
p[..., channel] used for every layout, so NCHW tensors are read along the width."""

import numpy as np


def channel_stats(activations, layout):
    p = np.asarray(activations, dtype=float)
    mins, maxs, means = [], [], []
    for channel in range(p.shape[-1]):
        mins.append(np.min(p[..., channel]))
        maxs.append(np.max(p[..., channel]))
        means.append(np.mean(p[..., channel]))
    return np.array(mins), np.array(maxs), np.array(means)
