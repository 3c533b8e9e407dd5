"""Broken (no named mistake): returns the |V| x N matrix, one row per word,
instead of one row per document."""

import numpy as np


def tf_idf(documents, vocabulary):
    tf = np.array([[doc.count(w) / len(doc) for doc in documents] for w in vocabulary])
    df = np.array([sum(w in doc for doc in documents) for w in vocabulary])
    return tf * np.log(len(documents) / df)[:, None]
