"""Correct: a float32 NumPy vector filled by a loop over the tokens."""

import numpy as np


def count_vector(tokens, vocabulary):
    position = {word: i for i, word in enumerate(vocabulary)}
    out = np.zeros(len(vocabulary), dtype=np.float32)
    for token in tokens:
        i = position.get(token)
        if i is not None:
            out[i] += 1
    return out
