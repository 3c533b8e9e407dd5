"""Broken (no named mistake): np.outer(t, weights) gives the per-word
gradients transposed, shape (D, L) and (D, k) instead of (L, D) and (k, D)."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 - sigmoid(c @ t)
    push = sigmoid(n @ t)
    return pull @ c - push @ n, np.outer(t, pull), -np.outer(t, push)
