"""Correct: mean of the context words' rows, repeats included."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    rows = [vocabulary.index(word) for word in context]
    return np.asarray(embeddings, dtype=float)[rows].mean(axis=0)
