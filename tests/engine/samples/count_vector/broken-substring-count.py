"""Broken (no named mistake): counts substrings of the joined text, so 'cat'
is also found inside 'cats' and 'category'."""


def count_vector(tokens, vocabulary):
    text = " ".join(tokens)
    return [float(text.count(word)) for word in vocabulary]
