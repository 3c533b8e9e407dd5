"""Wrong (tfidf-df-per-occurrence): df counts occurrences, not documents."""

import math
from collections import Counter


def tf_idf(documents, vocabulary):
    n = len(documents)
    df = [sum(doc.count(w) for doc in documents) for w in vocabulary]
    idf = [math.log(n / d) for d in df]
    rows = []
    for doc in documents:
        counts = Counter(doc)
        row = [counts[w] / len(doc) * idf[j] for j, w in enumerate(vocabulary)]
        rows.append(row)
    return rows
