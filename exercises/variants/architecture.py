"""Variants for lecture 6.1: parameter counts of a factorised, a 1×1 and a
bottleneck convolution, the receptive field of a stack, the shapes of a
pyramid's stages.

Counts come from `engine.reference.training`; the receptive field, which no
reference computes, is measured with torch's own convolution and autograd, and
the stage shapes with torch's own layers on the meta device.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
import torch

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import matrix_text, parts_follow, wrongs_differ


@generator(
    "conv_factorisation",
    guarantees=(
        "C → C channels, C in {8, 12, 16, 20, 24, 32, 40, 48, 64}",
        "a 5×5 layer against two 3×3 layers, or a 7×7 against three",
        "counts with biases from the engine's conv_parameters; the stack saves > 0",
    ),
    holds=lambda v: None if v.answer["saved"] > 0 else "the stack saves nothing",
)
def conv_factorisation(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    channels = int(rng.choice([8, 12, 16, 20, 24, 32, 40, 48, 64]))
    size = int(rng.choice([5, 7]))
    count = (size - 1) // 2
    big = training.conv_parameters((channels, channels, size, size))
    one = training.conv_parameters((channels, channels, 3, 3))
    answer = {"big": big, "stack": count * one, "saved": big - count * one}
    follow = parts_follow(
        {"saved": ({"big", "stack"}, lambda e: e["big"] - e["stack"])}
    )
    values = {"C": channels, "C2": channels**2, "size": size, "count": count}
    return Variant({**values, "one": one, **answer}, answer, follow)


@generator(
    "one_by_one_conv",
    guarantees=(
        "C_in in {64, 96, 128, 192, 256, 512} reduced to C_out in {16, 24, 32, 48}",
        "C_in ≠ C_out, so a bias per input channel gives a different count",
        "the count (weights and biases) from the engine's conv_parameters",
    ),
    holds=wrongs_differ,
)
def one_by_one_conv(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    c_in = int(rng.choice([64, 96, 128, 192, 256, 512]))
    c_out = int(rng.choice([16, 24, 32, 48]))
    side = int(rng.choice([7, 14, 28, 56]))
    answer = training.conv_parameters((c_in, c_out, 1, 1))
    wrong = {
        "no_bias": c_in * c_out,
        "bias_per_input": c_in * c_out + c_in,
        "per_position": side * side * answer,
    }
    values = {"c_in": c_in, "c_out": c_out, "side": side, "count": answer, **wrong}
    return Variant({**values, "wrong_values": list(wrong.values())}, answer)


@generator(
    "bottleneck_block",
    guarantees=(
        "C in {64, 128, 256} squeezed to b = C/4 or C/2 and expanded back",
        "every count (weights and biases) from the engine's conv_parameters",
        "the bottleneck block has fewer parameters than one full 3×3 layer",
    ),
    holds=lambda v: None if v.answer["total"] < v.answer["direct"] else "no saving",
)
def bottleneck_block(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    channels = int(rng.choice([64, 128, 256]))
    narrow = channels // int(rng.choice([2, 4]))
    parts = {
        "reduce": training.conv_parameters((channels, narrow, 1, 1)),
        "middle": training.conv_parameters((narrow, narrow, 3, 3)),
        "expand": training.conv_parameters((narrow, channels, 1, 1)),
    }
    answer = {
        **parts,
        "total": sum(parts.values()),
        "direct": training.conv_parameters((channels, channels, 3, 3)),
    }
    follow = parts_follow(
        {"total": (set(parts), lambda e: sum(e[name] for name in parts))}
    )
    return Variant({"C": channels, "b": narrow, **answer}, answer, follow)


@cache  # a measurement per (layers, size): 10 of them
def _receptive_field(layers: int, size: int) -> int:
    """Input pixels one output of `layers` stacked size×size convolutions sees
    (stride 1), measured with autograd: the rows of the input gradient that
    are not zero."""
    length = 2 * layers * size + 1
    image = torch.zeros(1, 1, length, length, dtype=torch.float64, requires_grad=True)
    kernel = torch.ones(1, 1, size, size, dtype=torch.float64)
    out = image
    for _ in range(layers):
        out = torch.nn.functional.conv2d(out, kernel)
    centre = out.shape[-1] // 2
    out[0, 0, centre, centre].backward()
    assert image.grad is not None
    return int((image.grad[0, 0].abs().sum(dim=1) > 0).sum())


@generator(
    "receptive_field",
    guarantees=(
        "2 to 6 stacked convolutions of size 3×3 or 5×5, stride 1, no pooling",
        "the receptive field measured with torch autograd, not a formula",
    ),
    holds=wrongs_differ,
)
def receptive_field(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    layers, size = int(rng.integers(2, 7)), int(rng.choice([3, 5]))
    answer = _receptive_field(layers, size)
    wrong = {"sum_sizes": layers * size, "one_layer": size}
    values = {"layers": layers, "size": size, "field": answer, **wrong}
    return Variant({**values, "wrong_values": list(wrong.values())}, answer)


@cache  # 45 (side, channels, stages) triples
def _stage_shapes(side: int, channels: int, stages: int) -> tuple[int, int, int]:
    """(H, W, C) after `stages` down-sampling transitions, each a 2×2 max-pool
    (stride 2) and a 3×3 convolution (padding 1) that doubles the channels;
    shapes only, on torch's meta device."""
    out = torch.zeros(1, channels, side, side, device="meta")
    for _ in range(stages):
        out = torch.nn.functional.max_pool2d(out, 2)
        kernel = torch.zeros(2 * out.shape[1], out.shape[1], 3, 3, device="meta")
        out = torch.nn.functional.conv2d(out, kernel, padding=1)
    return int(out.shape[2]), int(out.shape[3]), int(out.shape[1])


@generator(
    "pyramid_stages",
    guarantees=(
        "an H×H×C input, H in {32, 64, 96, 128, 224}, C in {16, 32, 64}",
        "2 to 4 stages of 2×2 max-pool then a 3×3 convolution doubling the channels",
        "shapes from torch's own layers (meta device); H divisible by 2^stages",
    ),
    holds=wrongs_differ,
)
def pyramid_stages(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    side = int(rng.choice([32, 64, 96, 128, 224]))
    channels, stages = int(rng.choice([16, 32, 64])), int(rng.integers(2, 5))
    answer = list(_stage_shapes(side, channels, stages))
    shrink = 2**stages
    wrongs = [
        [side // shrink, side // shrink, channels],  # channels left alone
        [side // shrink, side // shrink, channels // shrink],  # everything shrinks
        list(_stage_shapes(side, channels, 1)),  # one stage only
    ]
    values = {"side": side, "C": channels, "stages": stages, "shape": answer}
    values |= {f"wrong_{i}": matrix_text(w) for i, w in enumerate(wrongs)}
    return Variant({**values, "wrong_values": wrongs}, answer)
