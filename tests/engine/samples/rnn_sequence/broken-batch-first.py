"""Wrong (no named mistake): reads xs batch-first, (N, T, I), as PyTorch's batch_first=True.

The exercise gives xs time-first, (T, N, I): stepping along axis 1 walks over
the samples instead of the time steps.
"""

import numpy as np


def rnn_sequence(xs, h0, W, U, V):
    xs = np.asarray(xs, dtype=float)
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float)
    hs, os = [], []
    for t in range(xs.shape[1]):
        h = np.tanh(h @ W.T + xs[:, t] @ U.T)
        scores = h @ V.T
        exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
        hs.append(h)
        os.append(exp / exp.sum(axis=-1, keepdims=True))
    return np.stack(hs, axis=1), np.stack(os, axis=1)
