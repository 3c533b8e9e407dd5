"""Broken (no named mistake): divides by the number of DISTINCT tokens,
len(set(tokens)), instead of the number of tokens."""


def term_frequency(tokens, vocabulary):
    length = len(set(tokens))
    return [tokens.count(word) / length for word in vocabulary]
