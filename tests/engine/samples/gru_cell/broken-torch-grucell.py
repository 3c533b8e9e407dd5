"""Wrong (no named mistake): calls torch.nn.GRUCell, which the exercise forbids.

Even with W_z negated it would not match: GRUCell resets after the matrix.
"""

import numpy as np
import torch


def gru_cell(x, h_prev, W_z, W_r, W_h):
    x = torch.as_tensor(np.atleast_2d(x), dtype=torch.float64)
    h = torch.as_tensor(np.atleast_2d(h_prev), dtype=torch.float64)
    H = h.shape[-1]
    weights = [torch.as_tensor(m, dtype=torch.float64) for m in (W_r, W_z, W_h)]
    weights[1] = -weights[1]
    cell = torch.nn.GRUCell(x.shape[-1], H, bias=False, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.cat([m[:, H:] for m in weights]))
        cell.weight_hh.copy_(torch.cat([m[:, :H] for m in weights]))
        return cell(x, h).numpy()
