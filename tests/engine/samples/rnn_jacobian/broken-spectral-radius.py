"""Wrong (no named mistake): the norm is the spectral radius, the largest |eigenvalue|.

J is right. The spectral norm is the largest singular value; it equals the
largest |eigenvalue| only for normal matrices (symmetric ones, for instance),
and a product of tanh derivatives and W is not one in general.
"""

import numpy as np


def rnn_jacobian(xs, h0, W, U):
    W, U = np.asarray(W, dtype=float), np.asarray(U, dtype=float)
    h = np.asarray(h0, dtype=float)
    J = np.eye(len(W))
    for t, x in enumerate(np.asarray(xs, dtype=float)):
        h = np.tanh(W @ h + U @ x)
        if t > 0:
            J = np.diag(1 - h**2) @ W @ J
    return J, float(np.max(np.abs(np.linalg.eigvals(J))))
