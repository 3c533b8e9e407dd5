"""Wrong (tfidf-l2-rows): each row divided by its L2 norm."""

import math
from collections import Counter


def tf_idf(documents, vocabulary):
    n = len(documents)
    df = [sum(1 for doc in documents if w in doc) for w in vocabulary]
    idf = [math.log(n / d) for d in df]
    rows = []
    for doc in documents:
        counts = Counter(doc)
        row = [counts[w] / len(doc) * idf[j] for j, w in enumerate(vocabulary)]
        norm = math.sqrt(sum(v * v for v in row)) or 1.0
        row = [v / norm for v in row]
        rows.append(row)
    return rows
