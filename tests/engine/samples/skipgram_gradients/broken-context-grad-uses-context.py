"""Broken (no named mistake): dJ/dc_i written as (1 - sigma(t.c_i)) c_i and
dJ/dn_j as -sigma(t.n_j) n_j; the derivative of t.c with respect to c is t,
the other word's vector, not c itself."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 - sigmoid(c @ t)
    push = sigmoid(n @ t)
    return pull @ c - push @ n, pull[:, None] * c, -push[:, None] * n
