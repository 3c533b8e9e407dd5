"""Wrong (skipgram-objective-sum-before-logsigmoid): sums the noise scores before the log-sigmoid."""

import numpy as np


def log_sigmoid(x):
    return -np.logaddexp(0.0, -x)


def skipgram_objective(target, contexts, noises):
    pos = np.asarray(contexts) @ np.asarray(target)
    neg = np.asarray(noises) @ np.asarray(target)
    return log_sigmoid(pos).sum() + log_sigmoid(-neg.sum())
