"""Broken: flattens the image in (H, W, C) order before the linear layer; the
weights expect the (C, H, W) order."""

import numpy as np


def occlusion_map(image, label, weight, bias, patch, stride, fill):
    x = np.asarray(image, dtype=float)
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    rows = (x.shape[1] - patch) // stride + 1
    cols = (x.shape[2] - patch) // stride + 1
    out = np.zeros((rows, cols))
    for i in range(rows):
        for j in range(cols):
            covered = x.copy()
            covered[
                :, i * stride : i * stride + patch, j * stride : j * stride + patch
            ] = fill
            logits = w @ covered.transpose(1, 2, 0).reshape(-1) + b
            p = np.exp(logits - logits.max())
            out[i, j] = p[label] / p.sum()
    return out
