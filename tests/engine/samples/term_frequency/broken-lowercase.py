"""Broken (no named mistake): lowercases the tokens and the vocabulary, so
'The' and 'the' are counted as one word."""

import numpy as np


def term_frequency(tokens, vocabulary):
    lowered = [token.lower() for token in tokens]
    return np.array([lowered.count(w.lower()) for w in vocabulary]) / len(lowered)
