"""Wrong (no named mistake): multiplies T factors, one per step, which is ∂h_T/∂h_0.

The step that produces h_1 from h0 is not part of ∂h_T/∂h_1: there are T − 1
factors, none when T = 1 (then J is the identity).
"""

import numpy as np


def rnn_jacobian(xs, h0, W, U):
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(W))
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(W @ h + U @ x)
        J = np.diag(1 - h**2) @ W @ J
    return J, float(np.linalg.norm(J, 2))
