"""Broken (no named mistake): treats the columns of the embedding matrix as
the words' vectors (a (D, |V|) layout) instead of its rows."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    e = np.asarray(embeddings, dtype=float)
    cols = [vocabulary.index(word) for word in context]
    return e[:, cols].mean(axis=1)
