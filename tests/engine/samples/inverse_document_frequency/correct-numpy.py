"""Correct: natural log of N over the number of documents holding the word."""

import numpy as np


def inverse_document_frequency(documents, vocabulary):
    sets = [set(doc) for doc in documents]
    df = np.array([sum(word in s for s in sets) for word in vocabulary], dtype=float)
    return np.log(len(documents) / df)
