"""Broken (no named mistake): slices tokens[i - window:i] for the left context;
near the start of the sentence i - window is negative and the slice comes out
empty, so the first words lose their left neighbours."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i, target in enumerate(tokens):
        left = tokens[i - window : i]
        right = tokens[i + 1 : i + window + 1]
        for context in left + right:
            pairs.append((target, context))
    return pairs
