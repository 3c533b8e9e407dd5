"""Wrong (rnn-logits): returns the scores V h without the softmax."""

import numpy as np


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.tanh(h_prev @ W.T + x @ U.T)
    return h, h @ V.T
