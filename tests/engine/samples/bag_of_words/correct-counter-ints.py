"""Correct: a Counter of the tokens, 1 where a vocabulary word was counted;
returns plain Python ints, with a print left in."""

from collections import Counter


def bag_of_words(doc, vocab):
    seen = Counter(doc)
    print("distinct tokens:", len(seen))
    return [int(seen[w] > 0) for w in vocab]
