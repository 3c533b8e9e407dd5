"""Wrong (analogy-dot-product): ranks by dot product, not cosine."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    q = e[vocabulary.index(a)] - e[vocabulary.index(b)] + e[vocabulary.index(c)]
    scores = e @ q
    order = np.argsort(-scores)
    return [vocabulary[i] for i in order if vocabulary[i] not in (a, b, c)][0]
