"""Broken (no named mistake): searches the joined text, so a word inside a
longer token ('at' in 'cats') counts as present."""


def bag_of_words(tokens, vocabulary):
    text = " ".join(tokens)
    return [1.0 if word in text else 0.0 for word in vocabulary]
