"""Broken (no named mistake): dJ/dn_j = +sigma(t.n_j) t; the minus sign from
the inner derivative of sigma(-t.n_j) is lost, so ascent would pull the
noise words towards t."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 - sigmoid(c @ t)
    push = sigmoid(n @ t)
    return pull @ c - push @ n, np.outer(pull, t), np.outer(push, t)
