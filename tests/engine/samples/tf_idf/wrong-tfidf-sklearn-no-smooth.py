"""Wrong (tfidf-sklearn-no-smooth): IDF = ln(N / df) + 1, scikit-learn's IDF
with smooth_idf=False, so 'This' (in every document) keeps a weight."""

import math
from collections import Counter


def tf_idf(documents, vocabulary):
    n = len(documents)
    idf = [math.log(n / sum(w in doc for doc in documents)) + 1 for w in vocabulary]
    rows = []
    for doc in documents:
        counts = Counter(doc)
        rows.append([counts[w] / len(doc) * i for w, i in zip(vocabulary, idf)])
    return rows
