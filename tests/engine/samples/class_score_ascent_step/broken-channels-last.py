"""Broken: flattens the image channels-last, (H, W, C) order as in Keras,
instead of the (C, H, W) order of the statement."""

import numpy as np


def class_score_ascent_step(x, w1, b1, w2, b2, target, lam, lr):
    x = np.asarray(x, dtype=float)
    w1, b1, w2, b2 = (np.asarray(a, dtype=float) for a in (w1, b1, w2, b2))
    hwc = x.transpose(1, 2, 0)
    z = w1 @ hwc.reshape(-1) + b1
    s = w2 @ np.maximum(z, 0.0) + b2
    p = np.exp(s - s.max())
    p /= p.sum()
    d_scores = np.eye(len(s))[target] - p
    d_v = w1.T @ ((w2.T @ d_scores) * (z > 0))
    grad = d_v.reshape(hwc.shape).transpose(2, 0, 1) - 2.0 * lam * x
    return x + lr * grad
