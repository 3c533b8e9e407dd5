"""Broken: the layouts are the wrong way round: the last axis is taken as the
channel axis for 'channels_first' and axis 1 for 'channels_last'."""

import numpy as np


def channel_stats(activations, layout):
    p = np.asarray(activations, dtype=float)
    axis = p.ndim - 1 if layout == "channels_first" else 1
    others = tuple(i for i in range(p.ndim) if i != axis)
    return p.min(axis=others), p.max(axis=others), p.mean(axis=others)
