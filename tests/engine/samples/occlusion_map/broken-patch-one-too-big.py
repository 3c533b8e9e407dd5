"""Broken: the slice r : r + patch + 1 covers patch + 1 rows and columns."""

import numpy as np


def occlusion_map(image, label, weight, bias, patch, stride, fill):
    x = np.asarray(image, dtype=float)
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    rows = (x.shape[1] - patch) // stride + 1
    cols = (x.shape[2] - patch) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            r, c = i * stride, j * stride
            covered = x.copy()
            covered[:, r : r + patch + 1, c : c + patch + 1] = fill
            logits = w @ covered.reshape(-1) + b
            p = np.exp(logits - logits.max())
            out[i, j] = p[label] / p.sum()
    return out
