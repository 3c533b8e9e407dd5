"""Wrong (idf-sklearn-smooth): scikit-learn's smoothed IDF ln((1+N)/(1+df)) + 1."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if word in doc) for word in vocabulary]
    return [math.log((1 + n) / (1 + d)) + 1 for d in df]
