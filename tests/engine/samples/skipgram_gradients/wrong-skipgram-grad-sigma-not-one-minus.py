"""Wrong (skipgram-grad-sigma-not-one-minus): uses sigma(t.c) where 1 - sigma(t.c) belongs."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = sigmoid(c @ t)
    push = sigmoid(n @ t)
    return pull @ c - push @ n, np.outer(pull, t), -np.outer(push, t)
