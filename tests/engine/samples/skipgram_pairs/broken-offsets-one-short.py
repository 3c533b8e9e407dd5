"""Broken (no named mistake): loops over the offsets with range(1, window), so
each side stops one word short of the window."""


def skipgram_pairs(tokens, window):
    pairs = []
    n = len(tokens)
    for i, word in enumerate(tokens):
        for offset in range(1, window):
            if i - offset >= 0:
                pairs.append((word, tokens[i - offset]))
            if i + offset < n:
                pairs.append((word, tokens[i + offset]))
    return pairs
