"""Broken (no named mistake): returns the counts of the vocabulary words that
occur, in the order they first occur in the document; absent words get no 0."""

from collections import Counter


def count_vector(tokens, vocabulary):
    found = Counter(token for token in tokens if token in vocabulary)
    return [float(n) for n in found.values()]
