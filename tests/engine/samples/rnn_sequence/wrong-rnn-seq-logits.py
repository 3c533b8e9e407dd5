"""Wrong (rnn-seq-logits): o_t is V h_t, with no softmax."""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float)
    hs, os = [], []
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(h @ W.T + x @ U.T)
        hs.append(h)
        os.append(h @ V.T)
    return np.array(hs), np.array(os)
