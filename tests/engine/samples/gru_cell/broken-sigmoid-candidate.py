"""Wrong (no named mistake): the candidate h̃ uses the sigmoid, as the gates do.

h̃ = tanh(W_h [r ⊙ h_prev, x]) lies in (−1, 1); a sigmoid keeps it positive.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_cell(x, h_prev, W_z, W_r, W_h):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    hx = np.concatenate([h_prev, x], axis=-1)
    z, r = sigmoid(hx @ W_z.T), sigmoid(hx @ W_r.T)
    h_tilde = sigmoid(np.concatenate([r * h_prev, x], axis=-1) @ W_h.T)
    return (1 - z) * h_prev + z * h_tilde
