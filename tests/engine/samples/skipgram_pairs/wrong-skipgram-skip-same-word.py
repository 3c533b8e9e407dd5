"""Wrong (skipgram-skip-same-word): skips contexts equal to the target word
instead of skipping the target's own position."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i, target in enumerate(tokens):
        for context in tokens[max(0, i - window) : i + window + 1]:
            if context != target:
                pairs.append((target, context))
    return pairs
