"""Wrong (no named mistake): ReLU instead of tanh for the candidate h̃."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_sequence(xs, h0, W_z, W_r, W_h):
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    h = np.asarray(h0, dtype=float)
    hs = []
    for x in np.asarray(xs, dtype=float):
        hx = np.concatenate([h, x], axis=-1)
        z, r = sigmoid(hx @ W_z.T), sigmoid(hx @ W_r.T)
        h_tilde = np.maximum(0.0, np.concatenate([r * h, x], axis=-1) @ W_h.T)
        h = (1 - z) * h + z * h_tilde
        hs.append(h)
    return np.array(hs)
