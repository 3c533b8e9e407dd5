"""Correct, in torch float64: the state split out of W_h's columns by hand."""

import torch


def gru_cell(x, h_prev, W_z, W_r, W_h):
    x, h, W_z, W_r, W_h = (
        torch.as_tensor(v, dtype=torch.float64) for v in (x, h_prev, W_z, W_r, W_h)
    )
    H = h.shape[-1]
    hx = torch.cat([h, x], dim=-1)
    z = torch.sigmoid(hx @ W_z.T)
    r = torch.sigmoid(hx @ W_r.T)
    h_tilde = torch.tanh((r * h) @ W_h[:, :H].T + x @ W_h[:, H:].T)
    return h + z * (h_tilde - h)
