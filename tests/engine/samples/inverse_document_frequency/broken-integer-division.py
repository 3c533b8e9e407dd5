"""Broken (no named mistake): floor division N // df inside the log, so
ln(3 // 2) = ln 1 = 0 instead of ln 1.5."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if w in doc) for w in vocabulary]
    return [math.log(n // d) for d in df]
