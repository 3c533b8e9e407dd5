"""Wrong (no named mistake): ReLU instead of tanh as the hidden activation."""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float)
    hs, os = [], []
    for x in np.asarray(xs, dtype=float):
        h = np.maximum(0.0, h @ W.T + x @ U.T)
        scores = h @ V.T
        exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
        hs.append(h)
        os.append(exp / exp.sum(axis=-1, keepdims=True))
    return np.array(hs), np.array(os)
