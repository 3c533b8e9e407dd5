"""Wrong (idf-df-per-occurrence): df counts every occurrence of the word, not
the documents that contain it."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = len(documents)
    df = [sum(doc.count(word) for doc in documents) for word in vocabulary]
    return [math.log(n / d) for d in df]
