"""Broken (no named mistake): lowercases the tokens, so 'This' is never found."""

import math


def tf_idf(documents, vocabulary):
    documents = [[t.lower() for t in doc] for doc in documents]
    n = len(documents)
    df = [max(1, sum(1 for doc in documents if w in doc)) for w in vocabulary]
    return [
        [doc.count(w) / len(doc) * math.log(n / d) for w, d in zip(vocabulary, df)]
        for doc in documents
    ]
