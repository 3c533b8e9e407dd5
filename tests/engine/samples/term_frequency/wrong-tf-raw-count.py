"""Wrong (tf-raw-count): the raw count, as scikit-learn's TF."""


def term_frequency(tokens, vocabulary):
    return [tokens.count(word) for word in vocabulary]
