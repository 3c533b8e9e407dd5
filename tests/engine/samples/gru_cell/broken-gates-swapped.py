"""Wrong (no named mistake): W_r used for the update gate z and W_z for the reset gate r.

The arguments come in the order W_z, W_r, W_h; reading them as (r, z, h), the
order PyTorch packs its GRU weights in, swaps the two gates.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_cell(x, h_prev, W_z, W_r, W_h):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W_r, W_z = np.asarray(W_z, dtype=float), np.asarray(W_r, dtype=float)
    W_h = np.asarray(W_h, dtype=float)
    hx = np.concatenate([h_prev, x], axis=-1)
    z, r = sigmoid(hx @ W_z.T), sigmoid(hx @ W_r.T)
    h_tilde = np.tanh(np.concatenate([r * h_prev, x], axis=-1) @ W_h.T)
    return (1 - z) * h_prev + z * h_tilde
