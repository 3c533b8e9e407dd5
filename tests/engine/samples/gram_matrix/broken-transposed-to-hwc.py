"""Broken: moves the channels last, (H, W, C), and then reshapes to (C, H·W):
the reshape reads the memory in (H, W, C) order, so each row mixes channels
and positions."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    c = f.shape[0]
    m = f.transpose(1, 2, 0).reshape(c, -1)
    return m @ m.T
