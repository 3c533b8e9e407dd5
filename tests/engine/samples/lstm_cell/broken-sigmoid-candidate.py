"""Wrong (no named mistake): the candidate C̃ uses the sigmoid like the gates.

C̃ = tanh(W_C [h, x] + b_C): it must be able to write negative values into the
cell; a sigmoid only ever adds.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev))
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    f, i, g, o = np.split(
        sigmoid(np.concatenate([h_prev, x], axis=-1) @ W.T + b), 4, axis=-1
    )
    C = f * C_prev + i * g
    return o * np.tanh(C), C
