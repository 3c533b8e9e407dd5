"""Wrong (rnn-seq-zero-initial-state): ignores h0 and starts from a zero state."""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.zeros(np.shape(h0))
    hs, os = [], []
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(h @ W.T + x @ U.T)
        scores = np.exp(h @ V.T)
        hs.append(h)
        os.append(scores / scores.sum(axis=-1, keepdims=True))
    return np.array(hs), np.array(os)
