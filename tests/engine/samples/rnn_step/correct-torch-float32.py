"""Correct, in torch float32: the notes' column form applied to every row via .T."""

import torch


def rnn_step(x, h_prev, W, U, V):
    x, h_prev, W, U, V = (
        torch.as_tensor(v, dtype=torch.float32) for v in (x, h_prev, W, U, V)
    )
    h = torch.tanh(h_prev @ W.T + x @ U.T)
    o = torch.softmax(h @ V.T, dim=-1)
    return h, o
