"""Wrong (no named mistake): all four blocks go through the sigmoid, the candidate C̃ too.

The candidate is C̃ = tanh(W_C [h, x] + b_C), which can be negative.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_sequence(xs, h0, C0, W, b):
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    h, C = np.asarray(h0, dtype=float), np.asarray(C0, dtype=float)
    hs = []
    for x in np.asarray(xs, dtype=float):
        f, i, g, o = np.split(
            sigmoid(np.concatenate([h, x], axis=-1) @ W.T + b), 4, axis=-1
        )
        C = f * C + i * g
        h = o * np.tanh(C)
        hs.append(h)
    return np.array(hs), C
