"""Wrong (count-sorted-vocabulary): counts in alphabetical column order."""

from collections import Counter


def count_vector(tokens, vocabulary):
    counts = Counter(tokens)
    return [counts[word] for word in sorted(vocabulary)]
