"""Wrong (tfidf-sklearn-defaults): TfidfVectorizer's defaults written by hand: raw counts, smoothed IDF, L2 rows."""

import math
from collections import Counter


def tf_idf(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if w in doc) for w in vocabulary]
    idf = [math.log((1 + n) / (1 + d)) + 1 for d in df]
    rows = []
    for doc in documents:
        counts = Counter(doc)
        row = [counts[w] * idf[j] for j, w in enumerate(vocabulary)]
        norm = math.sqrt(sum(v * v for v in row)) or 1.0
        row = [v / norm for v in row]
        rows.append(row)
    return rows
