"""Exam-level variants for lecture 6.1: the receptive field and the spacing of
the windows of a stack that down-samples on the way (traced layer by layer),
and the multiply-adds a 1×1 bottleneck saves in front of a large convolution.

The receptive field and the window spacing are measured with torch's own
convolutions and autograd (average pooling stands in for max pooling: the same
window, but its gradient reaches every pixel of it); the multiply-adds are
torch's own count of a convolution (the formula its FlopCounterMode applies,
two FLOPs per multiply-add) over shapes from the meta device, never a formula
of ours.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 - the usual name
from torch.utils.flop_counter import conv_flop_count

from engine.reference import training
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, parts_follow

# ------------------------------------------------- receptive field with strides

# (name, kernel, stride): 3×3 or 5×5 convolutions, with stride 1 or 2, and a
# 2×2 max-pool of stride 2.
LAYER_KINDS = (
    ("conv", 3, 1),
    ("conv", 5, 1),
    ("conv", 3, 2),
    ("pool", 2, 2),
)


def _windows(layers: list[tuple[str, int, int]]) -> tuple[int, int]:
    """(receptive field, spacing) in input pixels of the outputs of `layers`,
    measured along the rows with autograd: the rows of the input gradient of
    one central output that are not zero, and how far that window moves for the
    next output."""
    length = 160
    image = torch.zeros(1, 1, length, length, dtype=torch.float64, requires_grad=True)
    out = image
    for kind, size, stride in layers:
        if kind == "conv":
            kernel = torch.ones(1, 1, size, size, dtype=torch.float64)
            out = F.conv2d(out, kernel, stride=stride)
        else:
            out = F.avg_pool2d(out, size, stride=stride)
    centre = out.shape[-1] // 2
    rows = []
    for row in (centre, centre + 1):
        (grad,) = torch.autograd.grad(out[0, 0, row, centre], image, retain_graph=True)
        rows.append(torch.nonzero(grad[0, 0].abs().sum(dim=1) > 0).reshape(-1))
    first, second = rows
    field = int(first[-1] - first[0] + 1)
    return field, int(second[0] - first[0])


def _stack(rng: np.random.Generator) -> list[tuple[str, int, int]] | None:
    """Four layers: a stride-1 convolution first, at least one down-sampling
    layer in the middle, a convolution last, so that ignoring the strides
    gives a wrong answer."""
    picks = [LAYER_KINDS[int(i)] for i in rng.integers(0, len(LAYER_KINDS), size=2)]
    last = LAYER_KINDS[int(rng.integers(0, 2))]
    first = LAYER_KINDS[int(rng.integers(0, 2))]
    layers = [first, *picks, last]
    if not any(stride == 2 for _, _, stride in picks):
        return None
    return layers


def _describe(layer: tuple[str, int, int]) -> str:
    kind, size, stride = layer
    name = "convolution" if kind == "conv" else "max-pool"
    return f"{size}×{size} {name}, stride {stride}"


def _rf_holds(variant: Variant) -> str | None:
    answer, naive = variant.answer, variant.values["naive"]
    if answer["field"] == naive:
        return "ignoring the strides gives the right receptive field"
    if answer["jump"] < 2:
        return "the stack does not down-sample"
    if not 5 <= answer["field"] <= 80:
        return f"receptive field {answer['field']} out of range"
    return None


@generator(
    "exam_rf_strided",
    guarantees=(
        "four layers: 3×3/5×5 convolutions (stride 1 or 2) and 2×2 max-pools (stride 2)",
        "a stride-1 convolution first, a stride-1 convolution last, a stride-2 layer between",
        "receptive fields and spacing measured with torch autograd, not a formula",
        "adding up k − 1 per layer (ignoring strides) gives a wrong receptive field",
        "error carried forward: the last field from the student's field after layer 2",
    ),
    holds=_rf_holds,
)
def exam_rf_strided(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    layers = bounded_draw(rng, _stack)
    middle, _ = _windows(layers[:2])
    field, jump = _windows(layers)
    naive = 1 + sum(size - 1 for _, size, _ in layers)
    answer = {"middle": middle, "field": field, "jump": jump}
    follow = parts_follow(
        {"field": ({"middle"}, lambda e: float(e["middle"]) + field - middle)}
    )
    rows = [
        {"number": i + 1, "text": _describe(layer)} for i, layer in enumerate(layers)
    ]
    strides = [str(stride) for _, _, stride in layers]
    values = {"layers": rows, "naive": naive, "strides": strides, **answer}
    return Variant(values, answer, follow)


# --------------------------------------------------- cost of a 1×1 bottleneck


def _multiply_adds(side: int, layers: list[tuple[int, int, int]]) -> int:
    """Multiply-adds of one image through stride-1 'same' convolutions, each
    (c_in, c_out, k): torch's own count for a convolution (the formula its
    FlopCounterMode applies to each conv2d, 2 FLOPs per multiply-add) over
    the shapes F.conv2d gives on the meta device. The mode itself is not
    entered: it imports torch's compiler stack (36 MiB in the web process)."""
    out = torch.zeros(1, layers[0][0], side, side, device="meta")
    flops = 0
    for c_in, c_out, size in layers:
        kernel = torch.zeros(c_out, c_in, size, size, device="meta")
        given, out = out, F.conv2d(out, kernel, padding=size // 2)
        flops += conv_flop_count(
            list(given.shape), list(kernel.shape), list(out.shape), transposed=False
        )
    assert tuple(out.shape[-2:]) == (side, side)
    return flops // 2


@generator(
    "exam_bottleneck_cost",
    guarantees=(
        "an S×S×C_in map, S in {14, 28}, C_in in {128, 192, 256}",
        "a k×k convolution (k = 3 or 5) to C_out in {32, 64, 96, 128}, or 1×1 to r first",
        "r in {16, 24, 32, 48}, at most C_in/4; draws where the 1×1 saves less than 3× are rejected",
        "multiply-adds by torch's flop counter's conv formula; parameters from conv_parameters",
        "error carried forward: the ratio from the student's two counts",
    ),
    holds=lambda v: (
        None if v.answer["ratio"] >= 3 else "the bottleneck saves less than 3×"
    ),
)
def exam_bottleneck_cost(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    def draw(source: np.random.Generator) -> dict[str, int] | None:
        c_in = int(source.choice([128, 192, 256]))
        setting = {
            "S": int(source.choice([14, 28])),
            "c_in": c_in,
            "c_out": int(source.choice([32, 64, 96, 128])),
            "k": int(source.choice([3, 5])),
            "r": int(source.choice([r for r in (16, 24, 32, 48) if 4 * r <= c_in])),
        }
        # direct / bottleneck = k²·C_in·C_out / (C_in·r + k²·r·C_out) ≥ 3
        k2 = setting["k"] ** 2
        direct = k2 * c_in * setting["c_out"]
        cheap = setting["r"] * (c_in + k2 * setting["c_out"])
        return setting if direct >= 3 * cheap else None

    setting = bounded_draw(rng, draw)
    side, c_in, c_out = setting["S"], setting["c_in"], setting["c_out"]
    size, narrow = setting["k"], setting["r"]
    direct = _multiply_adds(side, [(c_in, c_out, size)])
    squeezed = _multiply_adds(side, [(c_in, narrow, 1), (narrow, c_out, size)])
    answer = {"direct": direct, "bottleneck": squeezed, "ratio": direct / squeezed}
    follow = parts_follow(
        {
            "ratio": (
                {"direct", "bottleneck"},
                lambda e: (
                    float(e["direct"]) / float(e["bottleneck"])
                    if float(e["bottleneck"])
                    else None
                ),
            )
        }
    )
    weights = {
        "params_direct": training.conv_parameters((c_in, c_out, size, size)),
        "params_bottleneck": training.conv_parameters((c_in, narrow, 1, 1))
        + training.conv_parameters((narrow, c_out, size, size)),
    }
    values = {
        **setting, "positions": side * side,
        "reduce": _multiply_adds(side, [(c_in, narrow, 1)]),
        **weights, **answer,
    }  # fmt: skip
    return Variant(values, answer, follow)
