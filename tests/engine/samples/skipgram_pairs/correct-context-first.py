"""Correct: builds the tuples as (context, target) with a comprehension.
Being within the window is a symmetric relation, so this is the same
multiset of pairs as (target, context)."""


def skipgram_pairs(tokens, window):
    return [
        (tokens[j], tokens[i])
        for i in range(len(tokens))
        for j in range(len(tokens))
        if j != i and abs(i - j) <= window
    ]
