"""Broken (no named mistake): log base 2 instead of the natural log."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_objective(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    pos = np.asarray(contexts, dtype=float) @ t
    neg = np.asarray(noises, dtype=float) @ t
    return float(np.log2(sigmoid(pos)).sum() + np.log2(sigmoid(-neg)).sum())
