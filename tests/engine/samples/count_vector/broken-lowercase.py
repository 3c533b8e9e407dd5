"""Broken (no named mistake): lowercases before counting, so 'The' and 'the'
are counted together."""

from collections import Counter


def count_vector(tokens, vocabulary):
    found = Counter(token.lower() for token in tokens)
    return [float(found[word.lower()]) for word in vocabulary]
