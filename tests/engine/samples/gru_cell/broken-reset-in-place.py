"""Wrong (no named mistake): resets h_prev in place, h_prev *= r, before the blend.

The candidate is right, but the in-place update changes h_prev for the lines
after it: the blend then keeps (1 − z) ⊙ (r ⊙ h_prev) instead of
(1 − z) ⊙ h_prev. Compute r ⊙ h_prev into a new array.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_cell(x, h_prev, W_z, W_r, W_h):
    W_z, W_r, W_h = (np.asarray(m, dtype=float) for m in (W_z, W_r, W_h))
    hx = np.concatenate([h_prev, x], axis=-1)
    z = sigmoid(hx @ W_z.T)
    r = sigmoid(hx @ W_r.T)
    h_prev *= r
    h_tilde = np.tanh(np.concatenate([h_prev, x], axis=-1) @ W_h.T)
    return (1 - z) * h_prev + z * h_tilde
