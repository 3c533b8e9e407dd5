"""Broken (no named mistake): reads `window` as the width of the whole window,
so it takes window // 2 words on each side instead of `window` words."""


def skipgram_pairs(tokens, window):
    half = window // 2
    pairs = []
    for i in range(len(tokens)):
        for j in range(i - half, i + half + 1):
            if 0 <= j < len(tokens) and j != i:
                pairs.append((tokens[i], tokens[j]))
    return pairs
