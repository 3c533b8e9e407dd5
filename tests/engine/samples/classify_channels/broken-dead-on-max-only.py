"""Broken: dead tested on the maximum alone, |max| <= tau: a channel whose
maximum is near zero but whose minimum is strongly negative is called dead."""

import numpy as np


def classify_channels(activations, layout, tau):
    a = np.asarray(activations, dtype=float)
    axis = a.ndim - 1 if layout == "channels_last" else 1
    rows = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)
    labels = []
    for lo, hi in zip(rows.min(axis=1), rows.max(axis=1)):
        if abs(hi) <= tau:
            labels.append("dead")
        elif hi < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
