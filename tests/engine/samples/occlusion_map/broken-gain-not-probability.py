"""Broken: records p(occluded) − p(clean), the change in confidence with its
sign flipped against Captum's drop, instead of the probability itself."""

import numpy as np


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def occlusion_map(image, label, weight, bias, patch, stride, fill):
    x = np.asarray(image, dtype=float)
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    clean = softmax(w @ x.reshape(-1) + b)[label]
    rows = (x.shape[1] - patch) // stride + 1
    cols = (x.shape[2] - patch) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            covered = x.copy()
            covered[
                :, i * stride : i * stride + patch, j * stride : j * stride + patch
            ] = fill
            out[i, j] = softmax(w @ covered.reshape(-1) + b)[label] - clean
    return out
