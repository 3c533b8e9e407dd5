"""Exercise spec for lecture 6.8: the reconstruction objective with a
total-variation prior, and one gradient-descent step on the image."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose, fields
from engine.reference import visualisation
from engine.reference.style import as_tensor, conv_relu
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)

RESULT_SHAPES = (
    "the objective as a float and the new image as an array of shape (C, H, W), like x"
)

_KINK = 1e-3  # pre-activations and neighbour differences of x stay this far from 0


def _tv(x: torch.Tensor, kind: str) -> torch.Tensor:
    vertical, horizontal = x[:, 1:, :] - x[:, :-1, :], x[:, :, 1:] - x[:, :, :-1]
    if kind == "squared":
        return (vertical**2).sum() + (horizontal**2).sum()
    if kind == "isotropic":
        pairs = vertical[:, :, :-1] ** 2 + horizontal[:, :-1, :] ** 2
        return pairs.sqrt().sum()
    if kind == "wrap-around":
        down = torch.roll(x, -1, dims=1) - x
        right = torch.roll(x, -1, dims=2) - x
        return down.abs().sum() + right.abs().sum()
    return visualisation.total_variation(x)


def _variant(
    tv: str = "anisotropic", data: str = "sum", direction: float = -1.0
) -> Callable[..., tuple[float, np.ndarray]]:
    def run(
        x: Any, x0: Any, weight: Any, bias: Any, lam: float, lr: float
    ) -> tuple[float, np.ndarray]:
        image = as_tensor(x).requires_grad_(True)
        target = conv_relu(as_tensor(x0), weight, bias)
        squares = (conv_relu(image, weight, bias) - target) ** 2
        energy = (squares.mean() if data == "mean" else squares.sum()) + lam * _tv(
            image, tv
        )
        (gradient,) = torch.autograd.grad(energy, image)
        return float(energy.detach()), (
            image + direction * lr * gradient
        ).detach().numpy()

    return run


def _draw(rng: np.random.Generator, shape: tuple[int, ...]) -> Any:
    return np.round(rng.uniform(0.0, 1.0, size=shape), 2).tolist()


def _clear(case: dict[str, Any], *, flat: bool = False) -> bool:
    """ReLU and |·| kinks of x are _KINK away (neighbour differences are not
    checked for a deliberately flat x, whose code must fire somewhere instead,
    so that its data term is not trivially 0). NumPy: cheaper than torch here."""
    x, weight = np.asarray(case["x"]), np.asarray(case["weight"])
    windows = np.lib.stride_tricks.sliding_window_view(x, weight.shape[2:], (1, 2))
    pre = np.einsum("cijkl,ockl->oij", windows, weight)
    pre += np.asarray(case["bias"])[:, None, None]
    if flat:
        return bool(np.abs(pre).min() > _KINK and pre.max() > _KINK)
    steps = [np.abs(np.diff(x, axis=1)), np.abs(np.diff(x, axis=2))]
    steps_clear = all(s.size == 0 or s.min() > _KINK for s in steps)
    return bool(np.abs(pre).min() > _KINK and steps_clear)


def _problem(
    rng: np.random.Generator,
    shape: tuple[int, int, int],
    kernel: tuple[int, int],
    lam: float,
    adjust: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    while True:
        case = {
            "x": _draw(rng, shape),
            "x0": _draw(rng, shape),
            "weight": np.round(
                rng.uniform(-1, 1, size=(2, shape[0], *kernel)), 2
            ).tolist(),
            "bias": np.round(rng.uniform(-0.3, 0.3, size=2), 2).tolist(),
            "lam": lam,
            "lr": 0.05,
        }
        if adjust is not None:
            adjust(case)
        if _clear(case, flat=adjust is _flat_start):
            return case


def _start_at_target(case: dict[str, Any]) -> None:
    case["x"] = [[list(row) for row in channel] for channel in case["x0"]]


def _flat_start(case: dict[str, Any]) -> None:
    case["x"] = [[[0.5] * len(row) for row in channel] for channel in case["x"]]


@functools.cache
def _fixed_cases() -> tuple[tuple[str, str, str], ...]:
    """The fixed cases as (name, kwargs in JSON, label), drawn once."""
    fixed = np.random.default_rng(68)
    cases = (
        (
            "x is x0",
            _problem(fixed, (1, 4, 4), (2, 2), 0.1, adjust=_start_at_target),
            "edge: x = x₀, the data term and its gradient vanish, only TV pulls",
        ),
        (
            "no prior",
            _problem(fixed, (1, 4, 4), (2, 2), 0.0),
            "edge: λ = 0, the data term alone",
        ),
        (
            "one row",
            _problem(fixed, (1, 1, 5), (1, 2), 0.1),
            "edge: a one-row image has horizontal differences only",
        ),
        (
            "two channels",
            _problem(fixed, (2, 4, 4), (2, 2), 0.05),
            "edge: TV sums over both channels",
        ),
        (
            "flat image",
            _problem(fixed, (1, 4, 4), (2, 2), 0.1, adjust=_flat_start),
            "convention: a constant x has TV 0, and |d|' at d = 0 is 0",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def reconstruction_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label) for name, kwargs, label in _fixed_cases()
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        side = int(rng.integers(4, 6))
        lam = float(rng.choice([0.05, 0.1, 0.2]))
        problem = _problem(rng, (int(rng.integers(1, 3)), side, side), (2, 2), lam)
        cases.append(Case(f"random {i + 1}", problem, "random", hidden=i >= 4))
    return cases


def _non_negative(kwargs: dict[str, Any], got: Any) -> str | None:
    value = float(got[0])
    return None if value >= 0 else f"an objective of {value:g} is negative"


RECONSTRUCTION = register(
    ExerciseSpec(
        id="reconstruction_objective",
        title="Reconstruction objective with a TV prior, one descent step",
        topic="6.8",
        entry_point="reconstruction_objective",
        signature="def reconstruction_objective(x, x0, weight, bias, lam, lr) -> tuple[float, array]",
        statement=(
            "x and x0 are images (C, H, W). The code of an image is "
            "φ(x) = ReLU(conv(x, weight) + bias), a cross-correlation as in PyTorch's "
            "conv2d (stride 1, no padding), weight (C_out, C, k_h, k_w), bias (C_out,). "
            "The objective is E(x) = ‖φ(x) − φ(x0)‖² + lam·TV(x): the sum of the "
            "squared differences of the codes, plus the anisotropic total variation "
            "TV(x) = Σ_c,i,j |x[c, i+1, j] − x[c, i, j]| + Σ_c,i,j |x[c, i, j+1] − "
            "x[c, i, j]| over neighbours inside the image (no wrap-around, no squares, "
            "no square roots). Return the pair (E(x), x − lr·∇E(x)): "
            f"{RESULT_SHAPES}, after one gradient-descent step. Take the derivative "
            "of |d| at d = 0 as 0 (np.sign does). You may use torch autograd."
        ),
        reference=visualisation.reconstruction_objective,
        make_cases=reconstruction_cases,
        compare=fields(
            ("objective", allclose(rtol=1e-5, atol=1e-6)),
            ("x_new", allclose(rtol=1e-5, atol=1e-6)),
        ),
        shapes=(
            ShapePromise(
                RESULT_SHAPES,
                lambda kwargs: True,
                lambda kwargs: ((), tuple(np.shape(kwargs["x"]))),
            ),
        ),
        mistakes=(
            Mistake(
                "recon-tv-squared",
                "Squared differences in the TV prior",
                "Squaring the neighbour differences gives a smoothness (Tikhonov) prior "
                "that blurs edges. The exercise's TV uses absolute values |d|.",
                _variant(tv="squared"),
                point="Look at how the TV term turns each neighbour difference d into a cost: what do you apply to d?",
                fix="`tv = (xt[:, 1:, :] - xt[:, :-1, :]).abs().sum() + (xt[:, :, 1:] - xt[:, :, :-1]).abs().sum()`: absolute values, no `** 2`",
            ),
            Mistake(
                "recon-tv-isotropic",
                "Isotropic TV, √(dx² + dy²)",
                "The exercise asks for the anisotropic TV: the absolute vertical and "
                "horizontal differences added separately, over every neighbour pair.",
                _variant(tv="isotropic"),
                point="How do you combine the vertical and horizontal differences in TV: each on its own, or together under one square root?",
                fix="`tv = (xt[:, 1:, :] - xt[:, :-1, :]).abs().sum() + (xt[:, :, 1:] - xt[:, :, :-1]).abs().sum()`: two separate sums of absolute values",
            ),
            Mistake(
                "recon-tv-wraparound",
                "TV with wrap-around differences",
                "np.roll pairs the last row with the first. Only neighbours inside the "
                "image count: differences x[1:] − x[:-1].",
                _variant(tv="wrap-around"),
                point="Which pairs of pixels does your TV compare? Check whether the last row gets paired with the first.",
                fix="`vertical = xt[:, 1:, :] - xt[:, :-1, :]`; `horizontal = xt[:, :, 1:] - xt[:, :, :-1]` in place of `torch.roll`; `tv = vertical.abs().sum() + horizontal.abs().sum()`",
            ),
            Mistake(
                "recon-data-mean",
                "Mean squared error in the data term",
                "‖φ(x) − φ(x₀)‖² is the sum of the squared differences, not their mean.",
                _variant(data="mean"),
                point="Look at how your data term reduces the squared differences of the two codes: compare it with the definition of ‖v‖².",
                fix="`data = ((phi(xt) - phi(x0t)) ** 2).sum()`, not `.mean()`, with `phi(a) = torch.relu(torch.nn.functional.conv2d(a[None], w, b))[0]`",
            ),
            Mistake(
                "recon-ascends",
                "Step up the gradient",
                "Reconstruction MINIMISES E: the step is x − lr·∇E(x).",
                _variant(direction=1.0),
                point="Check the sign of your update: should the step raise E(x) or lower it?",
                fix="After `energy.backward()`: `return energy.item(), (xt - lr * xt.grad).detach().numpy()`, minus and not plus",
            ),
        ),
        properties=(
            Property(
                "recon-non-negative",
                "the objective is a sum of non-negative terms",
                per_case(_non_negative),
            ),
        ),
        forbidden=("kornia",),
    )
)
