"""Broken (no named mistake): takes N as the number of tokens in the whole
collection instead of the number of documents."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = sum(len(doc) for doc in documents)
    return [math.log(n / sum(1 for doc in documents if w in doc)) for w in vocabulary]
