"""Broken (no named mistake): the signs of b and c swapped, a + b - c
instead of a - b + c."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    row = {word: i for i, word in enumerate(vocabulary)}
    query = e[row[a]] + e[row[b]] - e[row[c]]
    scores = e @ query / (np.linalg.norm(e, axis=1) * np.linalg.norm(query))
    for word in (a, b, c):
        scores[row[word]] = -np.inf
    return vocabulary[int(np.argmax(scores))]
