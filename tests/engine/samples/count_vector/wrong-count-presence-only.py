"""Wrong (count-presence-only): returns the 0/1 bag of words."""


def count_vector(tokens, vocabulary):
    return [1 if word in tokens else 0 for word in vocabulary]
