"""Broken (no named mistake): 'removes' the query words by setting their
scores to 0; when every other cosine is negative a query word still wins."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    row = {word: i for i, word in enumerate(vocabulary)}
    query = e[row[a]] - e[row[b]] + e[row[c]]
    scores = e @ query / (np.linalg.norm(e, axis=1) * np.linalg.norm(query))
    for word in (a, b, c):
        scores[row[word]] = 0.0
    return vocabulary[int(np.argmax(scores))]
