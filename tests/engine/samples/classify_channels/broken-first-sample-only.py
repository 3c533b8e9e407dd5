"""Broken: takes each channel's min and max over the first sample of the batch
only; the other samples can make a channel healthy."""

import numpy as np


def classify_channels(activations, layout, tau):
    a = np.asarray(activations, dtype=float)[0]
    axis = a.ndim - 1 if layout == "channels_last" else 0
    rows = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)
    labels = []
    for lo, hi in zip(rows.min(axis=1), rows.max(axis=1)):
        if max(abs(lo), abs(hi)) <= tau:
            labels.append("dead")
        elif hi < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
