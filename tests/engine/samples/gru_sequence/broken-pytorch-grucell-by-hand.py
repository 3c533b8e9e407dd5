"""Wrong (no named mistake): PyTorch's GRUCell equations written out, without biases.

Both of its conventions at once: the reset gate multiplies W_hh h after the
matrix (n = tanh(W_hx x + r ⊙ (W_hh h))), and z weights the old state
(h = (1 − z) ⊙ n + z ⊙ h_prev). The notes reset before the matrix and give z
to the new candidate.
"""

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
        n = np.tanh(x @ W_h[:, H:].T + r * (h @ W_h[:, :H].T))
        h = (1 - z) * n + z * h
        hs.append(h)
    return np.array(hs)
