"""Correct: column-vector form of the notes, W @ h, one step at a time, starting from h0."""

import numpy as np


def softmax_columns(scores):
    exp = np.exp(scores - scores.max(axis=0, keepdims=True))
    return exp / exp.sum(axis=0, keepdims=True)


def rnn_sequence(xs, h0, W, U, V):
    W, U, V = (np.asarray(m, dtype=float) for m in (W, U, V))
    h = np.asarray(h0, dtype=float).T  # one column per sample
    hs, os = [], []
    for x in np.asarray(xs, dtype=float):
        h = np.tanh(W @ h + U @ x.T)
        hs.append(h.T)
        os.append(softmax_columns(V @ h).T)
    return np.array(hs), np.array(os)
