"""Correct: TF = count / len(d), IDF = ln(N / df), no row normalisation."""

import numpy as np


def tf_idf(documents, vocabulary):
    counts = np.array([[doc.count(w) for w in vocabulary] for doc in documents], float)
    lengths = np.array([len(doc) for doc in documents], float)[:, None]
    df = (counts > 0).sum(axis=0)
    return counts / lengths * np.log(len(documents) / df)
