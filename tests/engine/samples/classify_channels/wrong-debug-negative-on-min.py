"""Wrong (named mistake debug-negative-on-min): a channel is called all-negative
as soon as its minimum is below -tau."""

import numpy as np


def _extremes(activations, layout):
    p = np.asarray(activations, dtype=float)
    axis = p.ndim - 1 if layout == "channels_last" else 1
    others = tuple(i for i in range(p.ndim) if i != axis)
    return p.min(axis=others), p.max(axis=others)


def classify_channels(activations, layout, tau):
    labels = []
    for lo, hi in zip(*_extremes(activations, layout)):
        if max(abs(lo), abs(hi)) <= tau:
            labels.append("dead")
        elif lo < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
