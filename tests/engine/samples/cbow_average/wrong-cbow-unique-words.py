"""Wrong (cbow-unique-words): a set of context words, so repeats count once."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    e = np.asarray(embeddings, dtype=float)
    return np.mean([e[vocabulary.index(w)] for w in set(context)], axis=0)
