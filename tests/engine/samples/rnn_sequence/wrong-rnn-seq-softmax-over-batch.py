"""Wrong (rnn-seq-softmax-over-batch): each step's softmax runs over the samples, not the classes."""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float)
    hs, os = [], []
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(h @ W.T + x @ U.T)
        scores = np.exp(h @ V.T)
        hs.append(h)
        os.append(scores / scores.sum(axis=0))
    return np.array(hs), np.array(os)
