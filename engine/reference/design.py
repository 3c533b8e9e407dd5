"""Design principles (lecture 6.1): what a stack of convolutions sees, costs and
outputs.

Conventions:

* A stack is a list of layers, each a row (k, s, p, c_out, bias): a square
  k×k kernel, stride s, zero padding p on every side, c_out filters, and
  bias 1 (one bias per filter) or 0 (no bias, as before a batch
  normalisation). The first layer reads `in_channels` channels, every other
  layer the previous layer's c_out.
* Receptive field: the side, in input pixels, of the square window of the
  input that holds every pixel one unit of the last layer depends on, from
  the first to the last (a 1×1 stride-2 layer leaves holes inside the
  window; they count). A step of one position at layer l moves its window
  on the input by the jump J_l = Π_{i<l} s_i (J_1 = 1), and the layer widens
  the window by (k_l − 1)·J_l:
      r = 1 + Σ_l (k_l − 1)·Π_{i<l} s_i.
  Padding does not change r (take a unit away from the border); the last
  layer's own stride does not enter.
* Parameters: Σ_l (k_l²·C_in,l·C_out,l + bias_l·C_out,l).
* Output side for a square input of side n, as PyTorch's Conv2d (floor):
  n_l = ⌊(n_{l−1} + 2p_l − k_l)/s_l⌋ + 1.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike


def stack_table(layers: ArrayLike) -> np.ndarray:
    """The layers as an (L, 5) integer array of rows (k, s, p, c_out, bias)."""
    return np.asarray(layers, dtype=np.int64).reshape(-1, 5)


def jumps(strides: np.ndarray) -> np.ndarray:
    """J_l = Π_{i<l} s_i: how far one step at layer l moves on the input."""
    return np.concatenate(([1], np.cumprod(strides)[:-1])).astype(np.int64)


def receptive_field(layers: ArrayLike) -> int:
    """r = 1 + Σ_l (k_l − 1)·Π_{i<l} s_i."""
    kernel, stride = stack_table(layers)[:, :2].T
    return 1 + int(np.sum((kernel - 1) * jumps(stride)))


def parameter_count(layers: ArrayLike, in_channels: int) -> int:
    """Σ_l k_l²·C_in,l·C_out,l + bias_l·C_out,l."""
    table = stack_table(layers)
    kernel, channels, bias = table[:, 0], table[:, 3], table[:, 4]
    inputs = np.concatenate(([in_channels], channels[:-1]))
    return int(np.sum(kernel**2 * inputs * channels + bias * channels))


def output_sizes(layers: ArrayLike, size: int) -> list[int]:
    """The side of each layer's output, n_l = ⌊(n_{l−1} + 2p − k)/s⌋ + 1."""
    sides, side = [], int(size)
    for kernel, stride, padding in stack_table(layers)[:, :3].tolist():
        side = (side + 2 * padding - kernel) // stride + 1
        sides.append(side)
    return sides


def conv_stack_summary(
    layers: ArrayLike, in_channels: int, size: int
) -> tuple[int, int, int]:
    """(receptive field, parameter count, output side) of the stack."""
    return (
        receptive_field(layers),
        parameter_count(layers, in_channels),
        output_sizes(layers, size)[-1],
    )
