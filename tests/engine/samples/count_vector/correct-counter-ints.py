"""Correct: collections.Counter looked up in the vocabulary's order; ints."""

from collections import Counter


def count_vector(words, vocab):
    tally = Counter(words)
    return [tally[w] for w in vocab]
