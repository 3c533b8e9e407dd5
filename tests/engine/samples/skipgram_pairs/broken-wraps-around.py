"""Broken (no named mistake): negative indices wrap around to the sentence's end."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i, target in enumerate(tokens):
        for j in range(i - window, i + window + 1):
            if j != i and j < len(tokens):
                pairs.append((target, tokens[j]))
    return pairs
