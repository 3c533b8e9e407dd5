"""Wrong (rnn-seq-recurrent-weight-transposed): h @ W instead of h @ W.T."""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float)
    hs, os = [], []
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(h @ W + x @ U.T)
        scores = np.exp(h @ V.T)
        hs.append(h)
        os.append(scores / scores.sum(axis=-1, keepdims=True))
    return np.array(hs), np.array(os)
