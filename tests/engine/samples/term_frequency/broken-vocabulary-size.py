"""Broken (no named mistake): divides each count by the size of the
vocabulary instead of the length of the document."""


def term_frequency(tokens, vocabulary):
    return [tokens.count(word) / len(vocabulary) for word in vocabulary]
