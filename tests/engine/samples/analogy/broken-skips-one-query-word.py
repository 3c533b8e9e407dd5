"""Broken (no named mistake): when the best word is a query word it takes the
runner-up, without checking that the runner-up is not a query word too."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    row = {word: i for i, word in enumerate(vocabulary)}
    query = e[row[a]] - e[row[b]] + e[row[c]]
    scores = e @ query / (np.linalg.norm(e, axis=1) * np.linalg.norm(query))
    first, second = np.argsort(-scores)[:2]
    best = vocabulary[first]
    return vocabulary[second] if best in (a, b, c) else best
