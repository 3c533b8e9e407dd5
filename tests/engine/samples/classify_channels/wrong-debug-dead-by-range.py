"""Wrong (named mistake debug-dead-by-range): 'min = max' read as a small range,
so a constant non-zero channel is called dead."""

import numpy as np


def _extremes(activations, layout):
    p = np.asarray(activations, dtype=float)
    axis = p.ndim - 1 if layout == "channels_last" else 1
    others = tuple(i for i in range(p.ndim) if i != axis)
    return p.min(axis=others), p.max(axis=others)


def classify_channels(activations, layout, tau):
    labels = []
    for lo, hi in zip(*_extremes(activations, layout)):
        if hi - lo <= tau:
            labels.append("dead")
        elif hi < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
