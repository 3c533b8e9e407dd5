"""Broken (no named mistake): floor division count // len(d), so every word
that is not the whole document gets 0."""


def term_frequency(tokens, vocabulary):
    return [float(tokens.count(word) // len(tokens)) for word in vocabulary]
