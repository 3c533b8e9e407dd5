"""Broken: takes the min and max along axis 0, across the filters at each
weight position, instead of over each filter."""

import numpy as np


def normalise_filters(weights):
    w = np.asarray(weights, dtype=float)
    low, high = w.min(axis=0, keepdims=True), w.max(axis=0, keepdims=True)
    span = high - low
    return np.where(span > 0, (w - low) / np.where(span > 0, span, 1.0), 0.0)
