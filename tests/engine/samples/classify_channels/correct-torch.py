"""Correct: torch.amin / amax over every axis but the channel axis."""

import torch


def label(lo, hi, tau):
    if max(abs(lo), abs(hi)) <= tau:
        return "dead"
    return "all-negative" if hi < -tau else "healthy"


def classify_channels(activations, layout, tau):
    t = torch.tensor(activations, dtype=torch.float64)
    channel = t.dim() - 1 if layout == "channels_last" else 1
    others = [d for d in range(t.dim()) if d != channel]
    lows, highs = t.amin(dim=others), t.amax(dim=others)
    return [label(lo, hi, tau) for lo, hi in zip(lows.tolist(), highs.tolist())]
