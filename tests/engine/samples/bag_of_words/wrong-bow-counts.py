"""Wrong (bow-counts): counts occurrences instead of recording presence."""


def bag_of_words(tokens, vocabulary):
    return [float(tokens.count(word)) for word in vocabulary]
