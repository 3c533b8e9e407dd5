"""Broken: classifies from each channel's mean instead of its min and max: a
healthy channel whose values are mostly negative is called all-negative."""

import numpy as np


def classify_channels(activations, layout, tau):
    a = np.asarray(activations, dtype=float)
    axis = a.ndim - 1 if layout == "channels_last" else 1
    means = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1).mean(axis=1)
    labels = []
    for m in means:
        if abs(m) <= tau:
            labels.append("dead")
        elif m < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
