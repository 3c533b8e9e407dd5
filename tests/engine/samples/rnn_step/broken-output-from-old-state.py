"""Wrong (no named mistake): the output is read from the previous state, o = softmax(V h_prev).

h is right, but o must come from the state this step has just computed:
o = softmax(V h).
"""

import numpy as np


def softmax(scores):
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


def rnn_step(x, h_prev, W, U, V):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    o = softmax(h_prev @ V.T)
    h = np.tanh(h_prev @ W.T + x @ U.T)
    return h, o
