"""Wrong (named mistake debug-stats-per-sample): reduces only the spatial axes,
giving one row of statistics per sample instead of one per channel."""

import numpy as np


def channel_stats(activations, layout):
    p = np.asarray(activations, dtype=float)
    if layout == "channels_first":
        p = np.moveaxis(p, 1, -1)
    spatial = tuple(range(1, p.ndim - 1))
    return p.min(axis=spatial), p.max(axis=spatial), p.mean(axis=spatial)
