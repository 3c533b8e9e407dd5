"""Correct, written the way most students write it: torch tensors in float64."""

import torch


def lstm_cell(x, h_prev, C_prev, W, b):
    x, h_prev, C_prev, W, b = (
        torch.as_tensor(v, dtype=torch.float64) for v in (x, h_prev, C_prev, W, b)
    )
    H = h_prev.shape[-1]
    a = torch.cat([h_prev, x], dim=-1) @ W.T + b
    f, i, g, o = a.split(H, dim=-1)
    C = torch.sigmoid(f) * C_prev + torch.sigmoid(i) * torch.tanh(g)
    h = torch.sigmoid(o) * torch.tanh(C)
    return h, C
