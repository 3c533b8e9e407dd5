"""Tensors the recurrent reference tests share: float64 weights and inputs
drawn from fixed seeds, in the notes' shapes (N samples, H hidden units, I
inputs, K classes, T steps) and their orientation (W acting on [h, x])."""

from __future__ import annotations

import torch
from hypothesis import strategies as st

DT = torch.float64


def weights(seed: int, *shape: int, scale: float = 0.7) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator, dtype=DT) * scale


N, H, I, K, T = 3, 4, 2, 3, 5  # noqa: E741 - the notes' names

rows = st.integers(1, 3)


def lstm_inputs(seed: int, n: int = N) -> tuple[torch.Tensor, ...]:
    return (
        weights(seed, n, I, scale=1.0),
        torch.tanh(weights(seed + 1, n, H)),
        weights(seed + 2, n, H, scale=1.0),
        weights(seed + 3, 4 * H, H + I),
        weights(seed + 4, 4 * H, scale=0.5),
    )


def gru_weights(seed: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    return (
        weights(seed, H, H + I, scale=0.9),
        weights(seed + 1, H, H + I, scale=0.9),
        weights(seed + 2, H, H + I, scale=0.9),
    )
