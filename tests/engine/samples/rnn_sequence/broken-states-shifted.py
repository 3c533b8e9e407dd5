"""Wrong (no named mistake): each state is stored before the update, so hs holds h0..h_{T−1}.

The shape (T, N, H) is right, but hs starts with h0 and the last state h_T is
dropped; os is computed from the new states and is right.
"""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    xs = np.asarray(xs, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float)
    hs = np.zeros(xs.shape[:-1] + (h.shape[-1],))
    os = np.zeros(xs.shape[:-1] + (V.shape[0],))
    for t in range(len(xs)):
        hs[t] = h
        h = np.tanh(h @ W.T + xs[t] @ U.T)
        exp = np.exp(h @ V.T)
        os[t] = exp / exp.sum(axis=-1, keepdims=True)
    return hs, os
