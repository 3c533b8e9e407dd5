"""Broken (no named mistake): weights the noise words by 1 - sigma(t.n_j),
copied from the context terms, where d/dx log sigma(-x) = -sigma(x) gives
sigma(t.n_j)."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 - sigmoid(c @ t)
    push = 1 - sigmoid(n @ t)
    return pull @ c - push @ n, np.outer(pull, t), -np.outer(push, t)
