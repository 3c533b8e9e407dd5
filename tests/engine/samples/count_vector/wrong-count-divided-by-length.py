"""Wrong (count-divided-by-length): returns the term frequency count / len."""

import numpy as np


def count_vector(tokens, vocabulary):
    counts = np.array([tokens.count(word) for word in vocabulary], dtype=float)
    return counts / max(len(tokens), 1)
