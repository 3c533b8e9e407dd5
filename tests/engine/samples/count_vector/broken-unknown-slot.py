"""Broken (no named mistake): counts tokens outside the vocabulary in an extra
<unk> entry at the end: len(vocabulary) + 1 entries."""


def count_vector(tokens, vocabulary):
    vector = [0.0] * (len(vocabulary) + 1)
    for token in tokens:
        j = vocabulary.index(token) if token in vocabulary else len(vocabulary)
        vector[j] += 1
    return vector
