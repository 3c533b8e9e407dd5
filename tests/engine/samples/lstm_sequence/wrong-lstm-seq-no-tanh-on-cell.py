"""Wrong (lstm-seq-no-tanh-on-cell): h = o·C."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_sequence(xs, h0, C0, W, b):
    W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
    h, C = np.asarray(h0, dtype=float), np.asarray(C0, dtype=float)
    H = h.shape[-1]
    W_f, W_i, W_c, W_o = W[:H], W[H : 2 * H], W[2 * H : 3 * H], W[3 * H :]
    b_f, b_i, b_c, b_o = b[:H], b[H : 2 * H], b[2 * H : 3 * H], b[3 * H :]
    hs = []
    for x in np.asarray(xs, dtype=float):
        hx = np.concatenate([h, x], axis=-1)
        f, i = sigmoid(hx @ W_f.T + b_f), sigmoid(hx @ W_i.T + b_i)
        C_tilde = np.tanh(hx @ W_c.T + b_c)
        o = sigmoid(hx @ W_o.T + b_o)
        C_new = f * C + i * C_tilde
        h = o * C_new
        C = C_new
        hs.append(h)
    return np.array(hs), C_new
