"""Broken: indexes the unit as h[..., channel], as if the layer's output were
channels-last (H, W, C); on a (C, H, W) map that picks a column instead."""

import numpy as np
import torch
import torch.nn.functional as F


def top_k_activating(images, weight, bias, channel, k):
    x = torch.tensor(np.asarray(images, dtype=np.float64))
    w = torch.tensor(np.asarray(weight, dtype=np.float64))
    b = torch.tensor(np.asarray(bias, dtype=np.float64))
    h = F.relu(F.conv2d(x, w, b))  # (N, C_out, H', W')
    scores = h[..., channel].flatten(1).max(dim=1).values
    return torch.argsort(scores, descending=True)[:k].tolist()
