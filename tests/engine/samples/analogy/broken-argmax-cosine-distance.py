"""Broken (no named mistake): computes the cosine distance 1 - cos but then
takes the largest, i.e. the least similar word."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    row = {word: i for i, word in enumerate(vocabulary)}
    query = e[row[a]] - e[row[b]] + e[row[c]]
    distance = 1 - e @ query / (np.linalg.norm(e, axis=1) * np.linalg.norm(query))
    for word in (a, b, c):
        distance[row[word]] = -np.inf
    return vocabulary[int(np.argmax(distance))]
