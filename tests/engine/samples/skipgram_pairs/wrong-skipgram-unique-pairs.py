"""Wrong (skipgram-unique-pairs): the pairs are collected in a set."""


def skipgram_pairs(tokens, window):
    pairs = set()
    for i, target in enumerate(tokens):
        for offset in range(-window, window + 1):
            j = i + offset
            if offset != 0 and 0 <= j < len(tokens):
                pairs.add((target, tokens[j]))
    return list(pairs)
