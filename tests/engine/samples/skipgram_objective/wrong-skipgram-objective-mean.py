"""Wrong (skipgram-objective-mean): averages the L + k terms instead of summing them."""

import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_objective(target, contexts, noises):
    pos = np.asarray(contexts) @ np.asarray(target)
    neg = np.asarray(noises) @ np.asarray(target)
    return np.concatenate([log_sigmoid(pos), log_sigmoid(-neg)]).mean()
