"""Broken: all-negative tested with max < 0, ignoring the tolerance: a channel
whose maximum lies between -tau and 0 is called all-negative."""

import numpy as np


def classify_channels(activations, layout, tau):
    a = np.asarray(activations, dtype=float)
    axis = a.ndim - 1 if layout == "channels_last" else 1
    rows = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)
    labels = []
    for lo, hi in zip(rows.min(axis=1), rows.max(axis=1)):
        if max(abs(lo), abs(hi)) <= tau:
            labels.append("dead")
        elif hi < 0:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
