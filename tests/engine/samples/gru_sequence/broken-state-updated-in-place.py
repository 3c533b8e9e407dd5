"""Wrong (no named mistake): the state is the input h0 itself, overwritten in place each step.

h[:] = … writes into one array that the list holds T times, so every entry of
hs is h_T. Right only when T = 1.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_sequence(xs, h0, W_z, W_r, W_h):
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    h = h0
    hs = []
    for x in xs:
        hx = np.concatenate([h, x], axis=-1)
        z, r = sigmoid(hx @ W_z.T), sigmoid(hx @ W_r.T)
        h_tilde = np.tanh(np.concatenate([r * h, x], axis=-1) @ W_h.T)
        h[:] = (1 - z) * h + z * h_tilde
        hs.append(h)
    return np.array(hs)
