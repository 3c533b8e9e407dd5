"""Correct, in float32 with one stacked matrix: within the sequence tolerance."""

import numpy as np


def lstm_sequence(xs, h0, C0, W, b):
    W, b = np.asarray(W, dtype=np.float32), np.asarray(b, dtype=np.float32)
    h, C = np.asarray(h0, dtype=np.float32), np.asarray(C0, dtype=np.float32)
    hs = []
    for x in np.asarray(xs, dtype=np.float32):
        a = np.concatenate([h, x], axis=-1) @ W.T + b
        f, i, g, o = np.split(a, 4, axis=-1)
        C = C / (1 + np.exp(-f)) + np.tanh(g) / (1 + np.exp(-i))
        h = np.tanh(C) / (1 + np.exp(-o))
        hs.append(h)
    return np.stack(hs), C
