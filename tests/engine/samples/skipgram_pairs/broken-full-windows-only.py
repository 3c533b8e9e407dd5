"""Broken (no named mistake): only targets with a full window on both sides
are used (i from window to len - window - 1), as in some tutorials; the words
near the sentence ends never act as targets."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i in range(window, len(tokens) - window):
        for j in range(i - window, i + window + 1):
            if j != i:
                pairs.append((tokens[i], tokens[j]))
    return pairs
