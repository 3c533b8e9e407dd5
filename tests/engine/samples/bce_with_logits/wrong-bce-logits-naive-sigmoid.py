"""Wrong (named mistake bce-logits-naive-sigmoid): sigmoid first, then the log:
for large logits sigmoid(z) rounds to 1.0 and the loss becomes NaN."""

import numpy as np


def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    p = 1 / (1 + np.exp(-z))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
