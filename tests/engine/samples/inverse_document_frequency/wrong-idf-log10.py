"""Wrong (idf-log10): log base 10 instead of the natural log."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if word in doc) for word in vocabulary]
    return [math.log10(n / d) for d in df]
