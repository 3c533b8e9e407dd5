"""Wrong (no named mistake): hs[t] is filled before the update, so hs holds h0..h_{T−1}.

Right shape, but it starts with h0 and the last state h_T is never stored.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_sequence(xs, h0, W_z, W_r, W_h):
    xs = np.asarray(xs, dtype=float)
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    h = np.asarray(h0, dtype=float)
    hs = np.zeros(xs.shape[:-1] + h.shape[-1:])
    for t, x in enumerate(xs):
        hs[t] = h
        hx = np.concatenate([h, x], axis=-1)
        z, r = sigmoid(hx @ W_z.T), sigmoid(hx @ W_r.T)
        h_tilde = np.tanh(np.concatenate([r * h, x], axis=-1) @ W_h.T)
        h = (1 - z) * h + z * h_tilde
    return hs
