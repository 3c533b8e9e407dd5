"""Wrong (pairwise-cosine-distance): cosine distances 1 - cos between rows."""

import numpy as np


def pairwise_cosine(matrix):
    x = np.asarray(matrix, dtype=float)
    n = len(x)
    out = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            norms = np.linalg.norm(x[i]) * np.linalg.norm(x[j])
            out[i, j] = 1 - (x[i] @ x[j] / norms if norms else 0.0)
    return out
