"""Wrong (no named mistake): the softmax divides by the sum over the whole array.

Right for a single 1-D sample; for a batch every sample's probabilities are
divided by the total of all samples, so no row sums to 1.
"""

import numpy as np


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.tanh(h_prev @ W.T + x @ U.T)
    exp = np.exp(h @ V.T)
    return h, exp / np.sum(exp)
