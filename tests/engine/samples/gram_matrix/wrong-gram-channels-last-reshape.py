"""Wrong (gram-channels-last-reshape): reads (C, H, W) as (H·W, C) rows."""

import numpy as np


def gram_matrix(features):
    f = np.asarray(features, dtype=float)
    positions = f.reshape(-1, f.shape[0])
    return positions.T @ positions
