"""Wrong (named mistake bce-logits-no-abs): the stable formula copied without
the absolute value in exp(-|z|)."""

import numpy as np


def bce_with_logits(y, z):
    y, z = np.asarray(y, dtype=float), np.asarray(z, dtype=float)
    return float(np.mean(np.maximum(z, 0) - z * y + np.log(1 + np.exp(-z))))
