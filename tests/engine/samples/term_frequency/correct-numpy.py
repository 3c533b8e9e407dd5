"""Correct: count / number of tokens, all tokens counted in the length."""

import numpy as np


def term_frequency(tokens, vocabulary):
    counts = np.array([tokens.count(word) for word in vocabulary], dtype=float)
    return counts / len(tokens)
