"""Wrong (cosine-distance): returns the distance 1 - cos."""

import numpy as np


def cosine_similarity(a, b):
    norms = np.linalg.norm(a) * np.linalg.norm(b)
    cos = np.dot(a, b) / norms if norms else 0.0
    return 1.0 - cos
