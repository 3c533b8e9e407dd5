"""Wrong (analogy-reversed): computes b - a + c."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    q = e[vocabulary.index(b)] - e[vocabulary.index(a)] + e[vocabulary.index(c)]
    scores = e @ q / (np.linalg.norm(e, axis=1) * np.linalg.norm(q))
    order = np.argsort(-scores)
    return [vocabulary[i] for i in order if vocabulary[i] not in (a, b, c)][0]
