"""Exercise spec for lecture 6.7: one step of gradient ascent on the input, to
raise a single unit's activation (the inputs that activate a unit most are in
`visualisation_units`)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose
from engine.reference import visualisation
from engine.reference.style import as_tensor
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, ShapePromise
from engine.specs.visualisation_units import draw

ASCENT_SHAPE = "an array of shape (C, H, W), like x"
_KINK = 1e-3  # every pre-activation of the unit is this far from zero


def _ascent_variant(
    objective: str = "mean square", direction: float = 1.0, normalise: bool = False
) -> Callable[..., np.ndarray]:
    def run(x: Any, weight: Any, bias: Any, channel: int, lr: float) -> np.ndarray:
        image = as_tensor(x).requires_grad_(True)
        pre = torch.nn.functional.conv2d(
            image[None], as_tensor(weight), as_tensor(bias)
        )[0, channel]
        unit = torch.relu(pre)
        value = {
            "mean square": (unit**2).mean(),
            "sum square": (unit**2).sum(),
            "mean": unit.mean(),
            "pre-activation": (pre**2).mean(),
        }[objective]
        (gradient,) = torch.autograd.grad(value, image)
        if normalise:
            gradient = gradient / gradient.norm().clamp(min=1e-12)
        return (image + direction * lr * gradient).detach().numpy()

    return run


def _pre_activations(case: dict[str, Any]) -> np.ndarray:
    """conv(x, weight) + bias of the unit's channel, in NumPy."""
    x, kernel = np.asarray(case["x"]), np.asarray(case["weight"])[case["channel"]]
    windows = np.lib.stride_tricks.sliding_window_view(x, kernel.shape[1:], (1, 2))
    return np.einsum("cijkl,ckl->ij", windows, kernel) + case["bias"][case["channel"]]


def _unit_problem(
    rng: np.random.Generator,
    channels: int,
    size: int,
    kernel: int,
    lr: float,
    adjust: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """An image and a layer whose unit fires somewhere and is clear of its kink."""
    while True:
        case = {
            "x": draw(rng, (channels, size, size), 0.0, 1.0),
            "weight": draw(rng, (3, channels, kernel, kernel), -1.0, 1.0),
            "bias": draw(rng, (3,), -0.3, 0.3),
            "channel": int(rng.integers(0, 3)),
            "lr": lr,
        }
        if adjust is not None:
            adjust(case)
        pre = _pre_activations(case)
        if np.abs(pre).min() > _KINK and (adjust is not None or pre.max() > 0):
            return case


def _kill_unit(case: dict[str, Any]) -> None:
    case["bias"][case["channel"]] = -5.0


def _fire_everywhere(case: dict[str, Any]) -> None:
    case["weight"][case["channel"]] = np.abs(case["weight"][case["channel"]]).tolist()
    case["bias"][case["channel"]] = 0.1


@functools.cache
def _fixed_ascent() -> tuple[tuple[str, str, str], ...]:
    """The fixed cases as (name, kwargs in JSON, label), drawn once."""
    fixed = np.random.default_rng(674)
    cases = (
        (
            "dead unit",
            _unit_problem(fixed, 1, 4, 2, 0.1, adjust=_kill_unit),
            "edge: the unit never fires: zero gradient, x does not move",
        ),
        ("1x1 kernel", _unit_problem(fixed, 1, 3, 1, 0.1), "edge: a 1×1 kernel"),
        (
            "one position",
            _unit_problem(fixed, 1, 3, 3, 0.1),
            "edge: the kernel is as large as the image, one position",
        ),
        (
            "two channels",
            _unit_problem(fixed, 2, 4, 2, 0.1),
            "edge: a two-channel input",
        ),
        (
            "fires everywhere",
            _unit_problem(fixed, 1, 4, 2, 0.1, adjust=_fire_everywhere),
            "convention: every position active, a(x) is the mean of h²",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def ascent_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label) for name, kwargs, label in _fixed_ascent()
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        lr = float(rng.choice([0.05, 0.1, 0.5]))
        channels, size = int(rng.integers(1, 3)), int(rng.integers(4, 6))
        problem = _unit_problem(rng, channels, size, int(rng.integers(2, 4)), lr)
        cases.append(Case(f"random {i + 1}", problem, "random", hidden=i >= 4))
    return cases


ASCENT = register(
    ExerciseSpec(
        id="gradient_ascent_step",
        title="One gradient-ascent step on the input",
        topic="6.7",
        entry_point="gradient_ascent_step",
        signature="def gradient_ascent_step(x, weight, bias, channel, lr) -> array",
        statement=(
            "x is one image (C, H, W). The layer is h = ReLU(conv(x, weight) + bias), "
            "a cross-correlation as in PyTorch's conv2d (stride 1, no padding), weight "
            "(C_out, C, k, k), bias (C_out,). The unit is channel `channel`; following "
            "the notes ('MSE of the layer output') its activation is "
            "a(x) = (1/P) Σ_ij h[channel, i, j]², the mean over the P positions of the "
            f"squared output. Return x + lr·∇ₓ a(x) as {ASCENT_SHAPE}. You may use "
            "torch autograd; no pre-activation of the unit is exactly 0."
        ),
        reference=visualisation.gradient_ascent_step,
        make_cases=ascent_cases,
        compare=allclose(rtol=1e-5, atol=1e-6),
        shapes=(
            ShapePromise(
                ASCENT_SHAPE,
                lambda kwargs: True,
                lambda kwargs: tuple(np.shape(kwargs["x"])),
            ),
        ),
        mistakes=(
            Mistake(
                "grad-ascent-descends",
                "Step down the gradient",
                "To find what excites the unit, move the image in the direction that "
                "INCREASES its activation: x + lr·∇ₓ a(x).",
                _ascent_variant(direction=-1.0),
                point="Check the sign of your update: should the step raise the unit's activation a(x) or lower it?",
                fix="After `a.backward()`: `return (xt + lr * xt.grad).detach().numpy()`, plus and not minus, `xt` being the image tensor with `requires_grad=True`",
            ),
            Mistake(
                "grad-ascent-sum",
                "Sum over positions instead of the mean",
                "a(x) is a mean over the P positions of the channel; a sum makes the "
                "step P times larger.",
                _ascent_variant("sum square"),
                point="Look at the line that turns h[channel]² into the single number a(x): how does it combine the positions?",
                fix="`a = (h[channel] ** 2).mean()`, not `.sum()`",
            ),
            Mistake(
                "grad-ascent-not-squared",
                "Mean activation, not the mean of its square",
                "Some tutorials maximise the mean activation; the notes maximise the "
                "'MSE' of the output, the mean of h².",
                _ascent_variant("mean"),
                point="Look at the line that turns the unit's output into the number a(x): what happens to each value of h before you average?",
                fix="`a = (h[channel] ** 2).mean()`, the mean of the squares, not `h[channel].mean()`",
            ),
            Mistake(
                "grad-ascent-no-relu",
                "ReLU left out",
                "The unit's output is h = ReLU(conv + bias). Without the ReLU, "
                "positions where the unit is off still pull on the image.",
                _ascent_variant("pre-activation"),
                point="Look at how you compute the unit's output h: what happens to the negative values of conv(x, weight) + bias?",
                fix="`h = torch.relu(torch.nn.functional.conv2d(xt[None], w, b))[0]` (`w`, `b` the tensors of weight and bias), then `a = (h[channel] ** 2).mean()`",
            ),
            Mistake(
                "grad-ascent-normalised",
                "Gradient normalised to unit length",
                "Keras tutorials divide the gradient by its norm; here the step is the "
                "plain lr·∇ₓ a(x).",
                _ascent_variant(normalise=True),
                point="Look at what you do to the gradient between autograd and the update: do you use it as it comes?",
                fix="`return (xt + lr * xt.grad).detach().numpy()`, without dividing `xt.grad` by its norm",
            ),
            Mistake(
                "grad-ascent-image-unchanged",
                "x returned unchanged",
                "Your function gives back x as it came in. The gradient is taken with "
                "respect to the INPUT image and the step is applied to it: return "
                "x + lr·∇ₓ a(x), while the weights stay as they are.",
                _ascent_variant(direction=0.0),
                point="Look at what your function returns: which tensor received the step, and is it the one you return?",
                fix="`xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)`; compute `a` from `xt`; `a.backward()`; `return (xt + lr * xt.grad).detach().numpy()`",
            ),
        ),
        forbidden=("captum", "lucent"),
    )
)
