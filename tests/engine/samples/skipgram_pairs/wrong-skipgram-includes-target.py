"""Wrong (skipgram-includes-target): the loop over the window keeps j == i."""


def skipgram_pairs(tokens, window):
    pairs = []
    for i in range(len(tokens)):
        for j in range(max(0, i - window), min(len(tokens), i + window + 1)):
            pairs.append((tokens[i], tokens[j]))
    return pairs
