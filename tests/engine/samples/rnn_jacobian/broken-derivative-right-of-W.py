"""Wrong (no named mistake): each step's factor is W diag(1 − h_{k+1}²), the diagonal on the right.

The derivative is taken at the right state, but on the wrong side of W: by
the chain rule, h_{k+1} = tanh(a) with a = W h_k + …, so ∂h_{k+1}/∂h_k =
diag(1 − h_{k+1}²) W, the tanh derivative applied after the matrix.
"""

import numpy as np


def rnn_jacobian(xs, h0, W, U):
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    states = []
    h = np.asarray(h0, dtype=float)
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(W @ h + U @ x)
        states.append(h)
    J = np.eye(len(W))
    for h in states[1:]:
        J = W @ np.diag(1 - h**2) @ J
    return J, float(np.linalg.norm(J, 2))
