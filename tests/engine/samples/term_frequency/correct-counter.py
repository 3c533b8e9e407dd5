"""Correct: pure Python with a Counter and a helper, dividing by the number
of tokens (all of them)."""

from collections import Counter


def _frequency(count, length):
    return count / length


def term_frequency(document, vocab):
    counts = Counter(document)
    return [_frequency(counts[w], len(document)) for w in vocab]
