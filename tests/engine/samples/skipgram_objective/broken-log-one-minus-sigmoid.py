"""Broken (no named mistake): log(1 - sigma(t.n)) for the noise words, in
float64. Mathematically right, but for a score of 120 sigma rounds to 1 and
the term becomes log(0) = -inf."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_objective(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    pos = np.asarray(contexts, dtype=float) @ t
    neg = np.asarray(noises, dtype=float) @ t
    with np.errstate(divide="ignore", over="ignore"):
        return float(np.log(sigmoid(pos)).sum() + np.log(1 - sigmoid(neg)).sum())
