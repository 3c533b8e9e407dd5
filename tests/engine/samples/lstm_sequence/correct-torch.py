"""Correct, in torch float64: a cell function reused in the loop, gates split with .chunk."""

import torch


def cell(x, h, C, W, b):
    f, i, g, o = (torch.cat([h, x], dim=-1) @ W.T + b).chunk(4, dim=-1)
    C = torch.sigmoid(f) * C + torch.sigmoid(i) * torch.tanh(g)
    return torch.sigmoid(o) * torch.tanh(C), C


def lstm_sequence(xs, h0, C0, W, b):
    xs, h, C, W, b = (
        torch.as_tensor(v, dtype=torch.float64) for v in (xs, h0, C0, W, b)
    )
    hs = []
    for x in xs:
        h, C = cell(x, h, C, W, b)
        hs.append(h)
    return torch.stack(hs), C
