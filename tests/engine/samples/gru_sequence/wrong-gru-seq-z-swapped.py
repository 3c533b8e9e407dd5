"""Wrong (gru-seq-z-swapped): z keeps the old state, as in PyTorch's GRU."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_sequence(xs, h0, W_z, W_r, W_h):
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    h = np.asarray(h0, dtype=float)
    H = h.shape[-1]
    hs = []
    for x in np.asarray(xs, dtype=float):
        hx = np.concatenate([h, x], axis=-1)
        z, r = sigmoid(hx @ W_z.T), sigmoid(hx @ W_r.T)
        h_tilde = np.tanh(np.concatenate([r * h, x], axis=-1) @ W_h.T)
        h = z * h + (1 - z) * h_tilde
        hs.append(h)
    return np.array(hs)
