"""Correct: a dictionary from word to column, then one pass over the tokens."""

import numpy as np


def count_vector(tokens, vocabulary):
    column = {word: j for j, word in enumerate(vocabulary)}
    counts = np.zeros(len(vocabulary))
    for token in tokens:
        if token in column:
            counts[column[token]] += 1
    return counts
