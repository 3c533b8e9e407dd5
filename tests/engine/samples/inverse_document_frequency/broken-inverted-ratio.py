"""Broken (no named mistake): ln(df / N), the ratio upside down, so every
IDF is negative (or 0)."""

import numpy as np


def inverse_document_frequency(documents, vocabulary):
    df = np.array([sum(w in doc for doc in documents) for w in vocabulary], float)
    return np.log(df / len(documents))
