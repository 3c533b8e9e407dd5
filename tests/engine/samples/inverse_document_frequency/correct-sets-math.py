"""Correct: each document as a set, df by membership, math.log (natural)."""

import math


def inverse_document_frequency(docs, vocab):
    as_sets = [set(d) for d in docs]
    result = []
    for word in vocab:
        df = 0
        for s in as_sets:
            if word in s:
                df += 1
        result.append(math.log(len(docs) / df))
    return result
