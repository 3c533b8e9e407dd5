"""Broken (no named mistake): lowercases the documents and the vocabulary
before counting, so 'The' and 'the' share one df."""

import math


def inverse_document_frequency(documents, vocabulary):
    sets = [{token.lower() for token in doc} for doc in documents]
    n = len(sets)
    return [math.log(n / sum(w.lower() in s for s in sets)) for w in vocabulary]
