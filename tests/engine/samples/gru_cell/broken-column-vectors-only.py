"""Wrong (no named mistake): the notes' column form W_z @ v, which only fits one sample.

Right for 1-D inputs; for a batch, W_z @ hx.T gives one column per sample
(H, N), and mixing it with the (N, H) state raises a shape error or, for a
batch of one, broadcasts to an (H, H) array.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_cell(x, h_prev, W_z, W_r, W_h):
    x, h_prev = np.asarray(x, dtype=float), np.asarray(h_prev, dtype=float)
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    hx = np.concatenate([h_prev, x], axis=-1)
    z, r = sigmoid(W_z @ hx.T), sigmoid(W_r @ hx.T)
    reset = np.concatenate([(r.T * h_prev), x], axis=-1)
    h_tilde = np.tanh(W_h @ reset.T)
    return (1 - z) * h_prev + z * h_tilde
