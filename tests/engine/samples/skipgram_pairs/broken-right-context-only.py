"""Broken (no named mistake): only the words after the target are taken as
its context; the words before it are forgotten."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i, target in enumerate(tokens):
        for context in tokens[i + 1 : i + 1 + window]:
            pairs.append((target, context))
    return pairs
