"""Correct: a float32 torch tensor filled through a word -> column index."""

import torch


def bag_of_words(tokens, vocabulary):
    column = {word: j for j, word in enumerate(vocabulary)}
    bag = torch.zeros(len(vocabulary), dtype=torch.float32)
    for token in tokens:
        if token in column:
            bag[column[token]] = 1
    return bag
