"""Broken (no named mistake): multiplies t and c element by element and puts
every product through log sigma, instead of one dot product per word."""

import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_objective(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    pos = np.asarray(contexts, dtype=float) * t
    neg = np.asarray(noises, dtype=float) * t
    return float(log_sigmoid(pos).sum() + log_sigmoid(-neg).sum())
