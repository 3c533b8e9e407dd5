"""Wrong (rnn-jacobian-derivative-wrong-step): the notes' W·diag(1 − h_k²), derivative at the step's input."""

import numpy as np


def rnn_jacobian(xs, h0, W, U):
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(W))
    for t, x in enumerate(np.asarray(xs, dtype=float)):
        h_prev, h = h, np.tanh(W @ h + U @ x)
        if t > 0:  # the first step produces h_1 itself
            J = W @ np.diag(1 - h_prev**2) @ J
    return J, float(np.linalg.norm(J, 2))
