"""Wrong (tfidf-log10): IDF with log base 10."""

import math
from collections import Counter


def tf_idf(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if w in doc) for w in vocabulary]
    idf = [math.log10(n / d) for d in df]
    rows = []
    for doc in documents:
        counts = Counter(doc)
        row = [counts[w] / len(doc) * idf[j] for j, w in enumerate(vocabulary)]
        rows.append(row)
    return rows
