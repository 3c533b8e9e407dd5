"""Broken (no named mistake): adds an extra <unk> entry at the end for tokens
outside the vocabulary, so the vector has len(vocabulary) + 1 entries."""

import numpy as np


def bag_of_words(tokens, vocabulary):
    index = {word: i for i, word in enumerate(vocabulary)}
    vector = np.zeros(len(vocabulary) + 1)
    for token in tokens:
        vector[index.get(token, len(vocabulary))] = 1.0
    return vector
