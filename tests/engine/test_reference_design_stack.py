"""The convolution-stack summary (lecture 6.1) against real PyTorch stacks:
the receptive field as the span of the input gradient of one output unit,
the parameters as the sizes of nn.Conv2d's tensors, the output side as the
shape of a forward pass; plus the notes' numbers and the bank's example."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
import yaml

from engine import get_spec
from engine.reference.design import (
    conv_stack_summary,
    jumps,
    output_sizes,
    parameter_count,
    receptive_field,
    stack_table,
)

SPEC = get_spec("conv_stack_summary")
BANK = (
    Path(__file__).resolve().parents[2]
    / "exercises/bank/lecture-6/6.01-design-principles.yaml"
)


def _stacks() -> list[dict[str, Any]]:
    """The fixed cases and the random cases of a few seeds."""
    stacks = [case.kwargs for case in SPEC.cases(0)]
    for seed in (1, 2, 3, 11, 42, 199):
        stacks += [case.kwargs for case in SPEC.cases(seed) if case.label == "random"]
    return stacks


def _one_channel_stack(layers: list[list[int]]) -> torch.nn.Sequential:
    """The stack's geometry with one channel and all-ones kernels: no two
    paths to an input pixel can cancel."""
    convs = []
    for k, s, p, _, _ in layers:
        conv = torch.nn.Conv2d(1, 1, k, stride=s, padding=p, bias=False)
        torch.nn.init.ones_(conv.weight)
        convs.append(conv)
    return torch.nn.Sequential(*convs).double()


def _measured_receptive_field(layers: list[list[int]]) -> int:
    """Span (first to last pixel, along a row) of the input pixels that one
    central output unit depends on, on an input large enough that the unit's
    window lies inside the image (not in the padding)."""
    table = stack_table(layers)
    guess = receptive_field(layers)
    reach = int(np.sum(table[:, 2] * jumps(table[:, 1])))  # padding seen on the input
    side = 4 * (guess + reach + int(np.prod(table[:, 1])))
    image = torch.zeros(1, 1, side, side, dtype=torch.float64, requires_grad=True)
    out = _one_channel_stack(layers)(image)
    centre = out.shape[-1] // 2
    out[0, 0, centre, centre].backward()
    assert image.grad is not None
    columns = np.flatnonzero(image.grad[0, 0].abs().sum(dim=0).numpy())
    rows = np.flatnonzero(image.grad[0, 0].abs().sum(dim=1).numpy())
    assert columns[0] > 0 and columns[-1] < side - 1, "window touches the border"
    assert rows[-1] - rows[0] == columns[-1] - columns[0], "window is not square"
    return int(columns[-1] - columns[0] + 1)


@pytest.mark.parametrize("index", range(len(_stacks())))
def test_the_receptive_field_is_the_span_of_one_units_input_gradient(
    index: int,
) -> None:
    layers = _stacks()[index]["layers"]
    assert receptive_field(layers) == _measured_receptive_field(layers)


@pytest.mark.parametrize("index", range(len(_stacks())))
def test_parameters_and_output_side_are_those_of_torch_conv2d(index: int) -> None:
    stack = _stacks()[index]
    convs, c_in = [], stack["in_channels"]
    for k, s, p, c_out, bias in stack["layers"]:
        convs.append(
            torch.nn.Conv2d(c_in, c_out, k, stride=s, padding=p, bias=bool(bias))
        )
        c_in = c_out
    model = torch.nn.Sequential(*convs)
    counted = sum(tensor.numel() for tensor in model.parameters())
    assert parameter_count(stack["layers"], stack["in_channels"]) == counted
    geometry = _one_channel_stack(stack["layers"])
    with torch.no_grad():
        out = geometry(
            torch.zeros(1, 1, stack["size"], stack["size"], dtype=torch.float64)
        )
    assert output_sizes(stack["layers"], stack["size"])[-1] == out.shape[-1]
    assert conv_stack_summary(**stack) == (
        receptive_field(stack["layers"]),
        counted,
        out.shape[-1],
    )


def test_the_notes_numbers() -> None:
    """Two 3×3 layers see 5×5, three see 7×7; 18C² + 2C against 25C² + C; a
    1×1 layer from 256 to 64 channels; ResNet's 7×7 first layer."""
    same = [3, 1, 1, 64, 1]
    assert conv_stack_summary([same, same], 64, 56) == (5, 73856, 56)
    assert receptive_field([same] * 3) == 7
    assert parameter_count([[5, 1, 2, 64, 1]], 64) == 102464
    assert parameter_count([[1, 1, 0, 64, 1]], 256) == 16448
    assert parameter_count([[7, 2, 3, 64, 0]], 3) == 7 * 7 * 3 * 64 == 9408


def test_padding_and_the_last_stride_do_not_change_the_receptive_field() -> None:
    base = [[3, 2, 0, 8, 1], [5, 1, 0, 8, 1], [3, 2, 0, 8, 1]]
    padded = [[k, s, k // 2, c, b] for k, s, _, c, b in base]
    last_stride = [*base[:-1], [3, 1, 0, 8, 1]]
    assert receptive_field(base) == receptive_field(padded) == 1 + 2 + 4 * 2 + 2 * 2
    assert receptive_field(last_stride) == receptive_field(base)


def test_every_fixed_and_random_stack_leaves_an_output() -> None:
    for seed in range(200):
        for case in SPEC.cases(seed):
            assert min(output_sizes(case.kwargs["layers"], case.kwargs["size"])) >= 1


def _prompt() -> str:
    topic = yaml.safe_load(BANK.read_text())
    [exercise] = [e for e in topic["coding"] if e["slug"] == "conv_stack_summary"]
    return re.sub(r"\s+", " ", str(exercise["prompt"]))


def test_the_prompts_worked_example_is_what_the_reference_computes() -> None:
    layers, in_channels, size = [[3, 1, 1, 16, 1], [3, 2, 0, 32, 0]], 3, 8
    prompt = _prompt()
    assert "**Example.**" in prompt
    assert f"`layers = {layers}`" in prompt
    assert f"`in_channels = {in_channels}`" in prompt and f"`size = {size}`" in prompt
    result = conv_stack_summary(layers, in_channels, size)
    assert f"`{result}`" in prompt
    assert result == (5, 5056, 3)
    # the intermediate numbers the example quotes
    assert parameter_count(layers[:1], in_channels) == 9 * 3 * 16 + 16 == 448
    assert parameter_count(layers[1:], 16) == 9 * 16 * 32 == 4608
    assert output_sizes(layers, size) == [8, 3]
    assert "5×5 window" in prompt
    for quoted in (
        "= 448",
        "= 4608",
        "\\lfloor 7/1 \\rfloor + 1 = 8",
        "\\lfloor 5/2 \\rfloor + 1 = 3",
    ):
        assert quoted in prompt, quoted
