"""Wrong (no named mistake): uses the sigmoid's derivative h(1 − h) for the tanh.

The derivative of tanh at its output h is 1 − h², not h(1 − h).
"""

import numpy as np


def rnn_jacobian(xs, h0, W, U):
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(W))
    for t, x in enumerate(np.asarray(xs, dtype=float)):
        h = np.tanh(W @ h + U @ x)
        if t > 0:
            J = np.diag(h * (1 - h)) @ W @ J
    return J, float(np.linalg.norm(J, 2))
