"""Wrong (gru-reset-after): h̃ = tanh(W_hx x + r·(W_hh h)), PyTorch's reset-after."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_cell(x, h_prev, W_z, W_r, W_h):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    hx = np.concatenate([h_prev, x], axis=-1)
    z = sigmoid(hx @ W_z.T)
    r = sigmoid(hx @ W_r.T)
    H = h_prev.shape[-1]
    h_tilde = np.tanh(x @ W_h[:, H:].T + r * (h_prev @ W_h[:, :H].T))
    return (1 - z) * h_prev + z * h_tilde
