"""Correct: one batched float32 conv2d, amax over positions, torch.topk."""

import torch
import torch.nn.functional as F


def top_k_activating(images, weight, bias, channel, k):
    x = torch.tensor(images, dtype=torch.float32)
    h = F.relu(F.conv2d(x, torch.tensor(weight), torch.tensor(bias)))
    scores = h[:, channel].amax(dim=(1, 2))
    return torch.topk(scores, k).indices
