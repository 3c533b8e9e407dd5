"""Broken (no named mistake): adds the probabilities sigma(t.c_i) and
sigma(-t.n_j) themselves; the log is missing."""

import numpy as np


def sigmoid(x):
    return 0.5 * (1 + np.tanh(0.5 * x))


def skipgram_objective(target, contexts, noises):
    pos = np.asarray(contexts) @ np.asarray(target)
    neg = np.asarray(noises) @ np.asarray(target)
    return float(sigmoid(pos).sum() + sigmoid(-neg).sum())
