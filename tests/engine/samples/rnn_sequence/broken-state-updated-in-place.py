"""Wrong (no named mistake): the state array is overwritten in place, h[:] = …, and appended.

h starts as the input h0 itself and every step writes into that one array, so
every entry of the list is the same object: hs holds h_T T times (and the
caller's h0 is changed too). Right only when T = 1.
"""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = h0
    hs, os = [], []
    for x in xs:
        h[:] = np.tanh(h @ W.T + x @ U.T)
        scores = h @ V.T
        exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
        hs.append(h)
        os.append(exp / exp.sum(axis=-1, keepdims=True))
    return np.array(hs), np.array(os)
