"""Broken (no named mistake): the norms of the embeddings taken along axis 0
(one per dimension) instead of one per word."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    row = {word: i for i, word in enumerate(vocabulary)}
    query = e[row[a]] - e[row[b]] + e[row[c]]
    scores = e @ query / (np.linalg.norm(e, axis=0) * np.linalg.norm(query))
    for word in (a, b, c):
        scores[row[word]] = -np.inf
    return vocabulary[int(np.argmax(scores))]
