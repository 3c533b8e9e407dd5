"""Wrong (no named mistake): h and C are the input arrays h0, C0, updated in place and appended.

Every entry of the list is the same array, so hs holds h_T at every step (and
the caller's h0 and C0 are overwritten). C_T is right; hs is right only for T = 1.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_sequence(xs, h0, C0, W, b):
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    h, C = h0, C0
    hs = []
    for x in xs:
        f, i, g, o = np.split(np.concatenate([h, x], axis=-1) @ W.T + b, 4, axis=-1)
        C *= sigmoid(f)
        C += sigmoid(i) * np.tanh(g)
        h[...] = sigmoid(o) * np.tanh(C)
        hs.append(h)
    return np.array(hs), C
