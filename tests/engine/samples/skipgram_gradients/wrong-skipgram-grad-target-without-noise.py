"""Wrong (skipgram-grad-target-without-noise): dJ/dt forgets the noise words' terms."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def skipgram_gradients(target, contexts, noises):
    t = np.asarray(target, dtype=float)
    c = np.asarray(contexts, dtype=float)
    n = np.asarray(noises, dtype=float)
    pull = 1 - sigmoid(c @ t)
    push = sigmoid(n @ t)
    return pull @ c, np.outer(pull, t), -np.outer(push, t)
