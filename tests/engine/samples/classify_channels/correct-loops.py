"""Correct: move the channel axis to the front, then loop over the channels
with plain Python min and max."""

import numpy as np


def classify_channels(activations, layout, tau):
    a = np.asarray(activations, dtype=float)
    axis = a.ndim - 1 if layout == "channels_last" else 1
    labels = []
    for channel in np.moveaxis(a, axis, 0):
        values = channel.ravel().tolist()
        lo, hi = min(values), max(values)
        if max(abs(lo), abs(hi)) <= tau:
            labels.append("dead")
        elif hi < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
