"""Broken (no named mistake): looks every token up with vocabulary.index, which
raises ValueError for a token outside the vocabulary instead of ignoring it."""


def bag_of_words(tokens, vocabulary):
    vector = [0.0] * len(vocabulary)
    for token in tokens:
        vector[vocabulary.index(token)] = 1.0
    return vector
