"""Correct, in torch float32: a step helper, W_h split into its state and input columns."""

import torch


def step(x, h, W_z, W_r, W_h):
    H = h.shape[-1]
    hx = torch.cat([h, x], dim=-1)
    z = torch.sigmoid(hx @ W_z.T)
    r = torch.sigmoid(hx @ W_r.T)
    h_tilde = torch.tanh((r * h) @ W_h[:, :H].T + x @ W_h[:, H:].T)
    return (1 - z) * h + z * h_tilde


def gru_sequence(xs, h0, W_z, W_r, W_h):
    xs, h, W_z, W_r, W_h = (
        torch.tensor(v, dtype=torch.float32) for v in (xs, h0, W_z, W_r, W_h)
    )
    hs = torch.empty(xs.shape[:-1] + h.shape[-1:])
    for t in range(len(xs)):
        h = step(xs[t], h, W_z, W_r, W_h)
        hs[t] = h
    print("final state", h)
    return hs
