"""Correct: 1.0 where the vocabulary word occurs in the document, else 0.0."""

import numpy as np


def bag_of_words(tokens, vocabulary):
    present = set(tokens)
    return np.array([1.0 if word in present else 0.0 for word in vocabulary])
