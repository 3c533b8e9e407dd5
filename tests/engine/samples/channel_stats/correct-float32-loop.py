"""Correct: NumPy float32, the notes' loop over p[..., c] after moving the
channel axis last, with a running sum for the mean."""

import numpy as np


def channel_stats(activations, layout):
    p = np.asarray(activations, dtype=np.float32)
    if layout == "channels_first":
        p = np.moveaxis(p, 1, -1)
    channels = p.shape[-1]
    mins = np.empty(channels, dtype=np.float32)
    maxs = np.empty(channels, dtype=np.float32)
    means = np.empty(channels, dtype=np.float32)
    for c in range(channels):
        values = p[..., c].ravel()
        total = np.float32(0)
        for v in values:
            total += v
        mins[c], maxs[c], means[c] = values.min(), values.max(), total / len(values)
    return mins, maxs, means
