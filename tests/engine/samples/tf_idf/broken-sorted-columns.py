"""Broken (no named mistake): sorts the vocabulary first, so the columns are in
alphabetical order (as scikit-learn's vectorisers put them)."""

import math


def tf_idf(documents, vocabulary):
    words = sorted(vocabulary)
    n = len(documents)
    idf = {w: math.log(n / sum(w in doc for doc in documents)) for w in words}
    return [[doc.count(w) / len(doc) * idf[w] for w in words] for doc in documents]
