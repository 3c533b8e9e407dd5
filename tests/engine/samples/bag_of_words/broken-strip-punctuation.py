"""Broken (no named mistake): strips punctuation from every token, so 'dogs,'
is taken for 'dogs' and the token '!' disappears."""

import string


def bag_of_words(tokens, vocabulary):
    cleaned = {token.strip(string.punctuation) for token in tokens}
    return [1.0 if word in cleaned else 0.0 for word in vocabulary]
