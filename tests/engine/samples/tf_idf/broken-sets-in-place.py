"""Broken (no named mistake): replaces each document by its set in place (for
fast df look-ups), then computes TF on the sets: counts become 0/1 and len(d)
the number of distinct tokens."""

import math


def tf_idf(documents, vocabulary):
    for i, doc in enumerate(documents):
        documents[i] = set(doc)
    n = len(documents)
    idf = [math.log(n / sum(w in doc for doc in documents)) for w in vocabulary]
    return [
        [sum(1 for t in doc if t == w) / len(doc) * v for w, v in zip(vocabulary, idf)]
        for doc in documents
    ]
