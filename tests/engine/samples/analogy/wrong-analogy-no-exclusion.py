"""Wrong (analogy-no-exclusion): the best match may be one of the query words."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    q = e[vocabulary.index(a)] - e[vocabulary.index(b)] + e[vocabulary.index(c)]
    scores = e @ q / (np.linalg.norm(e, axis=1) * np.linalg.norm(q))
    order = np.argsort(-scores)
    return vocabulary[order[0]]
