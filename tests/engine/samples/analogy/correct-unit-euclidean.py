"""Correct: unit-normalises every row and the query, then takes the nearest
by Euclidean distance; for unit vectors |u - v|^2 = 2 - 2 cos, so this ranks
exactly as cosine does. Loops over the words, torch tensors."""

import torch


def analogy(embeddings, vocabulary, a, b, c):
    e = torch.as_tensor(embeddings, dtype=torch.float32)
    index = {word: i for i, word in enumerate(vocabulary)}
    query = e[index[a]] - e[index[b]] + e[index[c]]
    query = query / query.norm()
    best, best_distance = None, float("inf")
    for word, i in index.items():
        if word in (a, b, c):
            continue
        distance = float(torch.dist(e[i] / e[i].norm(), query))
        if distance < best_distance:
            best, best_distance = word, distance
    return best
