"""Broken (no named mistake): the noise vectors get no gradient (zeros), as if
only the target were trained against the negative samples."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 - sigmoid(c @ t)
    push = sigmoid(n @ t)
    return pull @ c - push @ n, np.outer(pull, t), np.zeros_like(n)
