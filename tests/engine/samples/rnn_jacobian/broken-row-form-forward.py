"""Wrong (no named mistake): the forward pass is written in row form, h @ W + x @ U.

h @ W is Wᵀ h, so the states are those of a different network (and x @ U
raises a shape error unless H = I); the Jacobian is then built from them.
"""

import numpy as np


def rnn_jacobian(xs, h0, W, U):
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(W))
    for t, x in enumerate(np.asarray(xs, dtype=float)):
        h = np.tanh(h @ W + x @ U)
        if t > 0:
            J = np.diag(1 - h**2) @ W @ J
    return J, float(np.linalg.norm(J, 2))
