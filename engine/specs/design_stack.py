"""Exercise spec for lecture 6.1: what a stack of convolutions sees (its
receptive field), what it costs (its parameters) and what it outputs (the
side of its last feature map)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compare import equal, fields
from engine.reference import design
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, as_lists

Summary = tuple[int, int, int]


def _stack_variant(
    *,
    jump: str = "before",
    widen: str = "k - 1",
    bias: str = "per filter",
    kernel_area: bool = True,
    rounding: str = "floor",
    padding_sides: int = 2,
) -> Callable[..., Summary]:
    """The summary with one thing changed.

    jump: "before" (Π of the strides before the layer), "none" (strides
    ignored) or "including" (the layer's own stride too); widen: "k - 1" or
    "k"; bias: "per filter", "none", "always" (the 0/1 flag ignored) or
    "per input" (one per input channel); rounding: "floor" or "ceil".
    """

    def run(layers: Any, in_channels: int, size: int) -> Summary:
        table = design.stack_table(layers)
        kernel, stride, padding, channels, flag = table.T
        steps = {
            "before": design.jumps(stride),
            "none": np.ones_like(stride),
            "including": np.cumprod(stride),
        }[jump]
        growth = kernel - 1 if widen == "k - 1" else kernel
        field = 1 + int(np.sum(growth * steps))
        inputs = np.concatenate(([in_channels], channels[:-1]))
        area = kernel**2 if kernel_area else kernel
        biases = {
            "per filter": flag * channels,
            "none": 0 * channels,
            "always": channels,
            "per input": flag * inputs,
        }[bias]
        parameters = int(np.sum(area * inputs * channels + biases))
        side = int(size)
        for k, s, p in zip(
            kernel.tolist(), stride.tolist(), padding.tolist(), strict=True
        ):
            span = side + padding_sides * p - k
            side = (-(-span // s) if rounding == "ceil" else span // s) + 1
        return field, parameters, side

    return run


def _layer(k: int, s: int, p: int, c_out: int, bias: int = 1) -> list[int]:
    return [k, s, p, c_out, bias]


def _case(name: str, layers: list[list[int]], c_in: int, size: int, label: str) -> Case:
    return Case(name, {"layers": layers, "in_channels": c_in, "size": size}, label)


_FIXED = (
    _case("one layer", [_layer(3, 1, 1, 8)], 3, 32,
          "edge: a single 3×3 layer sees 3×3; padding 1 keeps the size"),
    _case("two 3x3 layers", [_layer(3, 1, 1, 64), _layer(3, 1, 1, 64)], 64, 56,
          "convention: the notes' two stacked 3×3 layers see 5×5, 18C² + 2C parameters"),
    _case("strided stem",
          [_layer(7, 2, 3, 64), _layer(3, 2, 1, 64, 0), _layer(3, 1, 1, 128)], 3, 224,
          "edge: after two stride-2 layers one step of the last layer moves 4 input pixels"),
    _case("1x1 stride 2", [_layer(1, 2, 0, 16), _layer(3, 1, 0, 16)], 8, 9,
          "edge: a 1×1 stride-2 layer skips pixels; the window still spans 5"),
    _case("no biases", [_layer(3, 1, 0, 32, 0), _layer(3, 1, 0, 32, 0)], 16, 10,
          "convention: bias 0, layers without biases (as before a batch normalisation)"),
    _case("size rounds down", [_layer(3, 2, 0, 4)], 1, 8,
          "convention: (n + 2p − k)/s = 2.5 is rounded down, as in PyTorch"),
    _case("bottleneck",
          [_layer(1, 1, 0, 64), _layer(3, 1, 1, 64), _layer(1, 1, 0, 256)], 256, 14,
          "edge: a 1×1 – 3×3 – 1×1 bottleneck; the 1×1 layers do not widen the window"),
)  # fmt: skip


def _random_stack(rng: np.random.Generator) -> dict[str, Any]:
    """3 to 5 layers that leave at least one output position."""
    while True:
        layers = []
        for _ in range(int(rng.integers(2, 6))):
            k = int(rng.choice([1, 3, 3, 3, 5, 7]))
            layers.append(
                _layer(
                    k,
                    int(rng.choice([1, 1, 2])),
                    int(rng.integers(0, k // 2 + 1)),
                    int(rng.choice([4, 8, 16, 32, 64, 128])),
                    int(rng.integers(0, 2)),
                )
            )
        in_channels = int(rng.choice([1, 3, 16]))
        size = int(rng.integers(8, 65))
        if min(design.output_sizes(layers, size)) >= 1:
            return {"layers": layers, "in_channels": in_channels, "size": size}


def conv_stack_cases(seed: int) -> list[Case]:
    cases = list(_FIXED)
    rng = np.random.default_rng(seed)
    for i in range(6):
        cases.append(
            Case(f"random {i + 1}", _random_stack(rng), "random", hidden=i >= 4)
        )
    return as_lists(cases)


CONV_STACK = register(
    ExerciseSpec(
        id="conv_stack_summary",
        title="Receptive field, parameters and output size of a convolution stack",
        topic="6.1",
        entry_point="conv_stack_summary",
        signature=(
            "def conv_stack_summary(layers, in_channels, size) -> tuple[int, int, int]"
        ),
        statement=(
            "layers lists the convolutions of a stack, first to last, each as "
            "[k, s, p, c_out, bias]: a square k×k kernel, stride s, zero padding p on "
            "every side, c_out filters, and bias 1 (one bias per filter) or 0 (no "
            "bias). The first layer reads in_channels channels, every later layer the "
            "c_out of the one before; the input is size×size. Return "
            "(receptive_field, parameters, output_size), three integers: the side of "
            "the window of input pixels that one unit of the last layer depends on, "
            "from its first to its last pixel (for a unit away from the border, so "
            "padding does not shrink it); the number of weights and biases of the "
            "whole stack; and the side of the last layer's output, each layer giving "
            "⌊(n + 2p − k)/s⌋ + 1 from an input of side n, as PyTorch's Conv2d. Each "
            "of the three numbers is graded on its own."
        ),
        reference=design.conv_stack_summary,
        make_cases=conv_stack_cases,
        compare=fields(
            ("receptive_field", equal()),
            ("parameters", equal()),
            ("output_size", equal()),
            independent=True,
        ),
        mistakes=(
            Mistake(
                "stack-rf-ignores-strides",
                "Strides left out of the receptive field",
                "The rule 'n stacked k×k layers see n(k − 1) + 1 pixels' holds only "
                "for stride 1. After a stride-s layer, neighbouring units of the "
                "next layer sit s input pixels apart, so each later layer widens the "
                "window by (k − 1) times the product of ALL the strides before it.",
                _stack_variant(jump="none"),
                point="Look at how much each layer adds to the receptive field: does it depend on the strides of the layers before it? Compare your answer on the visible case 'strided stem'.",
                fix="`jump, r = 1, 1`; then in `for k, s, p, c_out, bias in layers:` do `r += (k - 1) * jump` and, after it, `jump *= s`",
            ),
            Mistake(
                "stack-rf-own-stride",
                "A layer's own stride counted in its widening",
                "A layer's stride decides how far apart ITS OUTPUT units are, which "
                "matters only to the layers after it. How much layer l widens the "
                "window uses the strides of the layers before l: (k_l − 1)·Π_{i<l} s_i. "
                "A single layer sees k×k pixels whatever its stride.",
                _stack_variant(jump="including"),
                point="What is the receptive field of a single 3×3 layer with stride 2, the visible case 'size rounds down'? Check in what order you update the jump and the field.",
                fix="Starting from `jump, r = 1, 1`, widen the window first and move the jump after: `r += (k - 1) * jump`, then `jump *= s`",
            ),
            Mistake(
                "stack-rf-adds-kernel",
                "k added to the window instead of k − 1",
                "One k×k layer on a window of r pixels gives r + k − 1 pixels: the "
                "kernel's first column overlaps the window's last one. Starting from "
                "a single pixel (r = 1), one 3×3 layer sees 3 pixels, not 4.",
                _stack_variant(widen="k"),
                point="Start from one pixel and apply a single 3×3 layer by hand: how wide is the window? Compare with your code on the visible case 'one layer'.",
                fix="`r += (k - 1) * jump`, not `r += k * jump`, starting from `r = 1` (`jump` the product of the strides before the layer)",
            ),
            Mistake(
                "stack-params-no-bias",
                "Biases not counted",
                "A layer with bias 1 holds one bias per filter: c_out numbers on top "
                "of its k·k·C_in·c_out weights.",
                _stack_variant(bias="none"),
                point="Besides the weights, what else does a layer with bias 1 learn? Count the numbers of the visible case 'one layer' by hand.",
                fix="`params += k * k * c_in * c_out + bias * c_out`, with `c_in` the previous layer's `c_out` (`in_channels` for the first)",
            ),
            Mistake(
                "stack-params-bias-always",
                "Biases counted for layers without bias",
                "The fifth number of a layer says whether it has biases. A "
                "convolution followed by batch normalisation is often built with "
                "bias=False: it then has weights only.",
                _stack_variant(bias="always"),
                point="What does the fifth number of each layer tell you, and does your count use it? See the visible case 'no biases'.",
                fix="`params += k * k * c_in * c_out + bias * c_out`, the flag `bias` (0 or 1) multiplying the biases, with `c_in` the previous layer's `c_out` (`in_channels` for the first)",
            ),
            Mistake(
                "stack-params-bias-per-input",
                "One bias per input channel",
                "Each filter produces one output channel and adds ONE bias to it, so a "
                "layer has c_out biases, however many channels it reads.",
                _stack_variant(bias="per input"),
                point="Each bias belongs to one filter: how many filters does a layer have? Check the visible case 'one layer', 3 channels in and 8 out.",
                fix="`params += k * k * c_in * c_out + bias * c_out`: `c_out` biases, not `c_in`",
            ),
            Mistake(
                "stack-params-kernel-not-squared",
                "Kernel counted as k, not k×k",
                "The kernels are square: each filter holds k·k weights for each of "
                "its C_in input channels, k²·C_in·c_out weights for the layer. k·C_in·c_out "
                "is the count of a 1-D convolution.",
                _stack_variant(kernel_area=False),
                point="How many weights does one filter of a k×k layer hold for one input channel? Count a 3×3 filter by hand.",
                fix="`params += k * k * c_in * c_out + bias * c_out`, with `k * k`, not `k`, with `c_in` the previous layer's `c_out` (`in_channels` for the first)",
            ),
            Mistake(
                "stack-size-rounds-up",
                "Output size rounded up",
                "A filter position counts only if the whole kernel fits inside the "
                "padded input, so a last partial step is dropped: "
                "⌊(n + 2p − k)/s⌋ + 1, rounded down, as PyTorch's Conv2d does.",
                _stack_variant(rounding="ceil"),
                point="When (n + 2p − k)/s is not a whole number, does your size round up or down? Work out the visible case 'size rounds down' by hand: how many positions does the 3×3 kernel take on 8 pixels with stride 2?",
                fix="`n = (n + 2 * p - k) // s + 1` for each layer, with floor division, starting from `n = size`",
            ),
            Mistake(
                "stack-size-padding-once",
                "Padding added on one side only",
                "p is the padding on EACH side: the padded input is n + 2p pixels wide, "
                "which is why a 3×3 layer with padding 1 keeps the size.",
                _stack_variant(padding_sides=1),
                point="How wide is the input after padding p on every side? With padding 1, should a 3×3 stride-1 layer keep the size, as in the visible case 'one layer'?",
                fix="`n = (n + 2 * p - k) // s + 1` for each layer, starting from `n = size`",
            ),
        ),
        forbidden=(
            "torchinfo",
            "torchsummary",
            "torchscan",
            "torch_receptive_field",
            "ptflops",
            "thop",
            "fvcore",
            "tensorflow",
            "keras",
        ),
    )
)
