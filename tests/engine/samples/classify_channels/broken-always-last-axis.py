"""Broken: ignores the layout and always reads the channels from the last axis,
as the notes' Keras code p[..., c] does: on a channels-first tensor that axis
is the image's width."""

import numpy as np


def classify_channels(activations, layout, tau):
    a = np.asarray(activations, dtype=float)
    rows = a.reshape(-1, a.shape[-1]).T
    labels = []
    for lo, hi in zip(rows.min(axis=1), rows.max(axis=1)):
        if max(abs(lo), abs(hi)) <= tau:
            labels.append("dead")
        elif hi < -tau:
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels
