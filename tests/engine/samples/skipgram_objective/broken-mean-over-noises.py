"""Broken (no named mistake): averages the k noise terms (an expectation over
the noise distribution) instead of summing them; the context terms are summed."""

import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_objective(target, contexts, noises):
    pos = np.asarray(contexts) @ np.asarray(target)
    neg = np.asarray(noises) @ np.asarray(target)
    return float(log_sigmoid(pos).sum() + log_sigmoid(-neg).mean())
