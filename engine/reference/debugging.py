"""Debugging a network by printing layer statistics (lecture 6.4).

Conventions: an activation tensor has a leading batch axis and one channel
axis, given by its layout. "channels_last" is the notes' Keras layout
(N, H, W, C), or (N, C) for a Dense layer, and the notes' code reads channel c
as p[..., c]; "channels_first" is PyTorch's NCHW, (N, C, H, W) or (N, C). A
channel's statistics reduce over every axis except the channel axis: batch
and spatial positions together (NHWC → axes (0, 1, 2), NCHW → (0, 2, 3)).

A channel is classified from its minimum and maximum with an absolute
tolerance τ: "dead" when max(|min|, |max|) ≤ τ (the notes' min ≈ max ≈ 0),
otherwise "all-negative" when max < −τ (after a ReLU it would always output
0), otherwise "healthy". These labels describe the layer's output BEFORE its
activation; after a ReLU the minimum is never negative, so "all-negative"
cannot be seen there. The notes' example calls a filter with range ±0.003
dead next to filters of range ±2.5, which is τ = 0.01 in absolute terms.
"""

from __future__ import annotations

import numpy as np
import torch

LAYOUTS = ("channels_last", "channels_first")
DEAD = "dead"
ALL_NEGATIVE = "all-negative"
HEALTHY = "healthy"


def channel_axis(ndim: int, layout: str) -> int:
    """The channel axis of an activation tensor with a leading batch axis."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {LAYOUTS}, not {layout!r}")
    if ndim < 2:
        raise ValueError("activations need a batch axis and a channel axis")
    return ndim - 1 if layout == "channels_last" else 1


def _by_channel(activations: object, layout: str) -> torch.Tensor:
    """The activations as a (C, everything else) float64 matrix."""
    values = torch.as_tensor(np.asarray(activations), dtype=torch.float64)
    axis = channel_axis(values.ndim, layout)
    return values.movedim(axis, 0).reshape(values.shape[axis], -1)


def channel_stats(
    activations: object, layout: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-channel (min, max, mean), each of shape (C,).

    Reduces over the batch and every spatial position at once, as the notes'
    `np.min(p[..., channel])` does for channels-last outputs.
    """
    rows = _by_channel(activations, layout)
    return (
        rows.amin(dim=1).numpy(),
        rows.amax(dim=1).numpy(),
        rows.mean(dim=1).numpy(),
    )


def classify(minimum: float, maximum: float, tau: float) -> str:
    """The label of one channel from its minimum and maximum (see the module)."""
    if max(abs(minimum), abs(maximum)) <= tau:
        return DEAD
    if maximum < -tau:
        return ALL_NEGATIVE
    return HEALTHY


def classify_channels(activations: object, layout: str, tau: float) -> list[str]:
    """One label per channel: "dead", "all-negative" or "healthy"."""
    minima, maxima, _ = channel_stats(activations, layout)
    return [
        classify(float(low), float(high), float(tau))
        for low, high in zip(minima, maxima, strict=True)
    ]
