"""Correct: stable log-sigmoid, log sigma(x) = -log(1 + exp(-x)), summed."""

import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_objective(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    positive = log_sigmoid(np.asarray(contexts, dtype=float) @ t)
    negative = log_sigmoid(-(np.asarray(noises, dtype=float) @ t))
    return float(positive.sum() + negative.sum())
