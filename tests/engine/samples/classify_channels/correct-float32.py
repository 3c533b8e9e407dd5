"""Correct: torch's default float32 (torch.tensor of a list), tau compared
in float32 too."""

import torch


def classify_channels(activations, layout, tau):
    t = torch.tensor(activations)
    channel = t.dim() - 1 if layout == "channels_last" else 1
    rows = t.movedim(channel, 0).reshape(t.shape[channel], -1)
    low, high = rows.min(dim=1).values, rows.max(dim=1).values
    tau = torch.tensor(tau)
    dead = torch.maximum(low.abs(), high.abs()) <= tau
    negative = high < -tau
    return [
        "dead" if d else "all-negative" if n else "healthy"
        for d, n in zip(dead, negative)
    ]
