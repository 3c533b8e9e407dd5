"""Wrong (no named mistake): adds 1 inside the forget gate, f = σ(W_f [h, x] + b_f + 1).

That is TensorFlow's forget_bias=1.0 default; the notes' forget gate has only
its own bias b_f.
"""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev = (np.asarray(v, dtype=float) for v in (x, h_prev, C_prev))
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    f, i, g, o = np.split(np.concatenate([h_prev, x], axis=-1) @ W.T + b, 4, axis=-1)
    C = sigmoid(f + 1.0) * C_prev + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(C), C
