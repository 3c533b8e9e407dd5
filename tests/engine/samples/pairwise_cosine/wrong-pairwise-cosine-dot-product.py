"""Wrong (pairwise-cosine-dot-product): the Gram matrix of the rows."""

import numpy as np


def pairwise_cosine(matrix):
    x = np.asarray(matrix, dtype=float)
    return x @ x.T
