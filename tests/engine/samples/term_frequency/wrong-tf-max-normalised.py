"""Wrong (tf-max-normalised): divided by the most frequent word's count."""

from collections import Counter


def term_frequency(tokens, vocabulary):
    counts = Counter(tokens)
    top = max(counts.values())
    return [counts[word] / top for word in vocabulary]
