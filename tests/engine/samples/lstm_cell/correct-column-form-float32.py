"""Correct, in float32: one matrix per gate, the notes' column form W_f @ [h; x] per sample."""

import numpy as np


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_cell(x, h_prev, C_prev, W, b):
    single = np.ndim(x) == 1
    x = np.atleast_2d(np.asarray(x, dtype=np.float32))
    h_prev = np.atleast_2d(np.asarray(h_prev, dtype=np.float32))
    C_prev = np.atleast_2d(np.asarray(C_prev, dtype=np.float32))
    W, b = np.asarray(W, dtype=np.float32), np.asarray(b, dtype=np.float32)
    H = h_prev.shape[1]
    W_f, W_i, W_C, W_o = W[:H], W[H : 2 * H], W[2 * H : 3 * H], W[3 * H :]
    b_f, b_i, b_C, b_o = b[:H], b[H : 2 * H], b[2 * H : 3 * H], b[3 * H :]
    hs, Cs = [], []
    for n in range(x.shape[0]):
        v = np.concatenate([h_prev[n], x[n]])
        f = sigmoid(W_f @ v + b_f)
        i = sigmoid(W_i @ v + b_i)
        C_tilde = np.tanh(W_C @ v + b_C)
        o = sigmoid(W_o @ v + b_o)
        C = f * C_prev[n] + i * C_tilde
        hs.append(o * np.tanh(C))
        Cs.append(C)
    h, C = np.array(hs), np.array(Cs)
    return (h[0], C[0]) if single else (h, C)
