"""Broken: returns the k best scores instead of the indices of their images."""

import numpy as np
import torch
import torch.nn.functional as F


def top_k_activating(images, weight, bias, channel, k):
    x = torch.tensor(images, dtype=torch.float64)
    w, b = (
        torch.tensor(weight, dtype=torch.float64),
        torch.tensor(bias, dtype=torch.float64),
    )
    scores = F.relu(F.conv2d(x, w, b))[:, channel].amax(dim=(1, 2))
    values, indices = torch.topk(scores, k)
    return values.tolist()
