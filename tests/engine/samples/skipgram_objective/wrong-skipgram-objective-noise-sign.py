"""Wrong (skipgram-objective-noise-sign): log sigma(t.n) for the noise words, the minus sign forgotten."""

import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_objective(target, contexts, noises):
    pos = np.asarray(contexts) @ np.asarray(target)
    neg = np.asarray(noises) @ np.asarray(target)
    return log_sigmoid(pos).sum() + log_sigmoid(neg).sum()
