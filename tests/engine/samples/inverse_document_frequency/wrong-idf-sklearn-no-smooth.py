"""Wrong (idf-sklearn-no-smooth): scikit-learn's IDF with smooth_idf=False,
ln(N / df) + 1, so a word in every document gets 1 instead of 0."""

import math


def inverse_document_frequency(documents, vocabulary):
    n = len(documents)
    sets = [set(doc) for doc in documents]
    return [math.log(n / sum(w in s for s in sets)) + 1 for w in vocabulary]
