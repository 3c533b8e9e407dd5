"""Wrong (tf-in-vocabulary-length): the length counts only vocabulary words."""

import numpy as np


def term_frequency(tokens, vocabulary):
    kept = [token for token in tokens if token in vocabulary]
    return np.array([kept.count(word) / len(kept) for word in vocabulary])
