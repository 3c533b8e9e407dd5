"""Broken (no named mistake): lowercases tokens and vocabulary, so 'The' and
'the' become one word and both columns light up."""


def bag_of_words(tokens, vocabulary):
    present = {token.lower() for token in tokens}
    return [1.0 if word.lower() in present else 0.0 for word in vocabulary]
