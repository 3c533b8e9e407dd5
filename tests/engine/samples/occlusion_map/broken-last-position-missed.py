"""Broken: range(0, H − patch, stride) stops one position short, so the last
patch position of each row and column is missed whenever it fits exactly."""

import numpy as np


def occlusion_map(image, label, weight, bias, patch, stride, fill):
    x = np.asarray(image, dtype=float)
    w, b = np.asarray(weight, dtype=float), np.asarray(bias, dtype=float)
    _, height, width = x.shape
    rows = []
    for r in range(0, height - patch, stride):
        row = []
        for c in range(0, width - patch, stride):
            covered = x.copy()
            covered[:, r : r + patch, c : c + patch] = fill
            logits = w @ covered.reshape(-1) + b
            p = np.exp(logits - logits.max())
            row.append(p[label] / p.sum())
        rows.append(row)
    return np.array(rows)
