"""Correct, in torch float32: a step function reused in the loop, outputs stacked."""

import torch


def step(x, h, W, U, V):
    h = torch.tanh(h @ W.T + x @ U.T)
    return h, torch.softmax(h @ V.T, dim=-1)


def rnn_sequence(xs, h0, W, U, V):
    xs, h, W, U, V = (torch.tensor(v, dtype=torch.float32) for v in (xs, h0, W, U, V))
    hs, os = [], []
    for t in range(xs.shape[0]):
        h, o = step(xs[t], h, W, U, V)
        hs.append(h)
        os.append(o)
    return torch.stack(hs), torch.stack(os)
