"""Correct: NumPy in float32, IDF = ln(N) - ln(df)."""

import numpy as np


def inverse_document_frequency(documents, vocabulary):
    presence = np.array(
        [[word in doc for word in vocabulary] for doc in documents], dtype=np.float32
    )
    df = presence.sum(axis=0)
    return np.log(np.float32(len(documents))) - np.log(df)
