"""Correct: every other position within the window, clipped at both ends."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i, target in enumerate(tokens):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            if j != i:
                pairs.append((target, tokens[j]))
    return pairs
