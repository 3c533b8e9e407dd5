"""Wrong (idf-plus-one-df): the 'textbook' IDF ln(N / (1 + df))."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if word in doc) for word in vocabulary]
    return [math.log(n / (1 + d)) for d in df]
