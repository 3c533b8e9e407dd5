"""Broken (no named mistake): len(d) counts only the tokens that are in the
vocabulary, so a document with other words gets TF values that are too big."""

import numpy as np


def tf_idf(documents, vocabulary):
    counts = np.array([[doc.count(w) for w in vocabulary] for doc in documents], float)
    tf = counts / counts.sum(axis=1, keepdims=True)
    idf = np.log(len(documents) / (counts > 0).sum(axis=0))
    return tf * idf
