"""Broken (no named mistake): divides the sum of the context vectors by the
vocabulary size instead of the number of context words."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    e = np.asarray(embeddings, dtype=float)
    total = sum(e[vocabulary.index(word)] for word in context)
    return total / len(vocabulary)
