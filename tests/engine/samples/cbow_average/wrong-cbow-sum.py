"""Wrong (cbow-sum): adds the context vectors without dividing."""

import numpy as np


def cbow_average(embeddings, vocabulary, context):
    e = np.asarray(embeddings, dtype=float)
    total = np.zeros(e.shape[1])
    for word in context:
        total += e[vocabulary.index(word)]
    return total
