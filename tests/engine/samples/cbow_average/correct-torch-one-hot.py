"""Correct: the average of the context words' one-hot vectors times the
embedding matrix, in torch float32 (a repeated word has weight 2 / L)."""

import torch


def cbow_average(embeddings, vocabulary, context):
    e = torch.as_tensor(embeddings, dtype=torch.float32)
    index = {word: i for i, word in enumerate(vocabulary)}
    one_hot = torch.zeros(len(context), len(vocabulary))
    for position, word in enumerate(context):
        one_hot[position, index[word]] = 1.0
    return one_hot.mean(dim=0) @ e
