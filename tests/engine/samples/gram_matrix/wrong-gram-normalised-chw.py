"""Wrong (gram-normalised-chw): divided by C·H·W as in the PyTorch tutorial."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    m = f.reshape(f.shape[0], -1)
    return m @ m.T / f.size
