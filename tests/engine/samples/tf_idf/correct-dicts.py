"""Correct: pure Python with dictionaries: df per word from sets, TF from a
Counter and the full document length."""

import math
from collections import Counter


def tf_idf(docs, vocab):
    n = len(docs)
    df = {word: 0 for word in vocab}
    for doc in docs:
        for word in set(doc) & set(vocab):
            df[word] += 1
    idf = {word: math.log(n / df[word]) for word in vocab}
    matrix = []
    for doc in docs:
        counts = Counter(doc)
        matrix.append([counts[w] / len(doc) * idf[w] for w in vocab])
    return matrix
