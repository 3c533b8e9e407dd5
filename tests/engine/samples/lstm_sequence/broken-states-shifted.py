"""Wrong (no named mistake): h is stored before each update, so hs holds h0..h_{T−1}.

hs has the right shape but starts with h0 and misses the last state h_T; C_T
is right.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_sequence(xs, h0, C0, W, b):
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    h, C = np.asarray(h0, dtype=float), np.asarray(C0, dtype=float)
    hs = []
    for x in np.asarray(xs, dtype=float):
        hs.append(h)
        f, i, g, o = np.split(np.concatenate([h, x], axis=-1) @ W.T + b, 4, axis=-1)
        C = sigmoid(f) * C + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(C)
    return np.array(hs), C
