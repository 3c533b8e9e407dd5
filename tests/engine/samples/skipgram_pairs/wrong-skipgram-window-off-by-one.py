"""Wrong (skipgram-window-off-by-one): range() stops one short on the right."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i in range(len(tokens)):
        for j in range(max(0, i - window), min(len(tokens), i + window)):
            if j != i:
                pairs.append([tokens[i], tokens[j]])
    return pairs
