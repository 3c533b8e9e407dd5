"""Correct (gensim's most_similar): unit-normalise the three inputs, average
them, rank by cosine. The cases are built so this agrees with raw vectors."""

import numpy as np


def analogy(embeddings, vocabulary, a, b, c):
    e = np.asarray(embeddings, dtype=float)
    unit = e / np.linalg.norm(e, axis=1, keepdims=True)
    i, j, k = (vocabulary.index(w) for w in (a, b, c))
    mean = (unit[i] - unit[j] + unit[k]) / 3
    scores = unit @ (mean / np.linalg.norm(mean))
    ranked = [int(r) for r in np.argsort(-scores) if r not in (i, j, k)]
    return vocabulary[ranked[0]]
