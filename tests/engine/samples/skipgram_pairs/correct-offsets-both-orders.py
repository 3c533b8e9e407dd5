"""Correct: loops over the distances 1..window and adds every two positions
that far apart, once in each direction."""


def skipgram_pairs(tokens, window):
    n = len(tokens)
    out = []
    for offset in range(1, window + 1):
        for i in range(n - offset):
            out.append((tokens[i], tokens[i + offset]))
            out.append((tokens[i + offset], tokens[i]))
    print(f"{len(out)} pairs")
    return out
