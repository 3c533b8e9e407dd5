"""Correct: NumPy float32 end to end, a running sum of the context rows
divided by the number of context words."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    table = np.asarray(embeddings, dtype=np.float32)
    total = np.zeros(table.shape[1], dtype=np.float32)
    for word in context:
        total += table[vocabulary.index(word)]
    return total / np.float32(len(context))
