"""Broken (no named mistake): divides each TF-IDF row by its sum (L1
normalisation); the notes do not normalise the rows."""

import numpy as np


def tf_idf(documents, vocabulary):
    counts = np.array([[doc.count(w) for w in vocabulary] for doc in documents], float)
    lengths = np.array([len(doc) for doc in documents], float)[:, None]
    matrix = counts / lengths * np.log(len(documents) / (counts > 0).sum(axis=0))
    sums = matrix.sum(axis=1, keepdims=True)
    return matrix / np.where(sums > 0, sums, 1.0)
