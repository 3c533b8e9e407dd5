"""Broken (no named mistake): the 'smooth' IDF ln(1 + N / df) of some
libraries (text2vec), which never gives 0."""

import numpy as np


def inverse_document_frequency(documents, vocabulary):
    df = np.array([sum(w in set(doc) for doc in documents) for w in vocabulary])
    return np.log1p(len(documents) / df)
