"""Exercise specs for lecture 6.7: what a single unit responds to — the inputs
that activate it most, and one step of gradient ascent on the input."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose, unordered_indices
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

ASCENT_SHAPE = "an array of shape (C, H, W), like x"


def _draw(
    rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float
) -> Any:
    return np.round(rng.uniform(low, high, size=shape), 2).tolist()


# ------------------------------------------------------------ top-k activations

_GAP = 1e-3  # score margin between the k-th and the (k+1)-th image


def _top_k_variant(mode: str) -> Callable[..., list[int]]:
    def run(images: Any, weight: Any, bias: Any, channel: int, k: int) -> list[int]:
        maps = [conv_relu(image, weight, bias) for image in as_tensor(images)]
        if mode == "mean":
            scores = [float(m[channel].mean()) for m in maps]
        elif mode == "all channels":
            scores = [float(m.max()) for m in maps]
        else:
            scores = [-float(m[channel].max()) for m in maps]  # the lowest first
        return sorted(range(len(scores)), key=lambda n: -scores[n])[:k]

    return run


def _unit_scores(case: dict[str, Any]) -> np.ndarray:
    """The unit's score on every image, in NumPy (drawing cases calls this often
    and small NumPy products are cheaper than torch calls)."""
    images, weight = np.asarray(case["images"]), np.asarray(case["weight"])
    k_h, k_w = weight.shape[2:]
    windows = np.lib.stride_tricks.sliding_window_view(images, (k_h, k_w), axis=(2, 3))
    unit = np.einsum("ncijkl,ckl->nij", windows, weight[case["channel"]])
    return np.maximum(unit + case["bias"][case["channel"]], 0.0).max(axis=(1, 2))


def _top_k_problem(rng: np.random.Generator, count: int, k: int) -> dict[str, Any]:
    """Images and a layer whose unit scores leave a clear gap after the k-th."""
    while True:
        case = {
            "images": _draw(rng, (count, 1, 4, 4), 0.0, 1.0),
            "weight": _draw(rng, (3, 1, 2, 2), -1.0, 1.0),
            "bias": _draw(rng, (3,), -0.3, 0.3),
            "channel": int(rng.integers(0, 3)),
            "k": k,
        }
        scores = np.sort(_unit_scores(case))[::-1]
        gaps = -np.diff(scores[: k + 1])
        if scores[k - 1] > _GAP and np.all(gaps > _GAP):
            return case


def _spike_images() -> dict[str, Any]:
    """A 1×1 identity unit: a single bright pixel beats a uniformly bright image
    on the max, not on the mean."""
    spike, spike_low = [[0.1] * 3 for _ in range(3)], [[0.0] * 3 for _ in range(3)]
    spike[1][1], spike_low[0][2] = 0.9, 0.8
    flat, dim = [[0.6] * 3 for _ in range(3)], [[0.3] * 3 for _ in range(3)]
    return {
        "images": [[spike], [flat], [dim], [spike_low]],
        "weight": [[[[1.0]]], [[[-1.0]]]],
        "bias": [0.0, 1.0],
        "channel": 0,
        "k": 2,
    }


def _dark_unit() -> dict[str, Any]:
    """Channel 1 fires on dark pixels, ReLU(0.5 − x); channel 0 on bright ones.
    Its best image is the darkest; the layer's largest value is on the brightest."""
    shades = (0.9, 0.3, 0.1, 0.6)
    return {
        "images": [[[[shade] * 2 for _ in range(2)]] for shade in shades],
        "weight": [[[[1.0]]], [[[-1.0]]]],
        "bias": [0.0, 0.5],
        "channel": 1,
        "k": 1,
    }


@functools.cache
def _fixed_top_k() -> tuple[tuple[str, str, str], ...]:
    """The fixed cases as (name, kwargs in JSON, label), drawn once."""
    fixed = np.random.default_rng(671)
    cases = (
        ("one image", _top_k_problem(fixed, 1, 1), "edge: a single image, k = 1"),
        ("k = N", _top_k_problem(fixed, 4, 4), "edge: k equals the number of images"),
        ("k = 1", _top_k_problem(fixed, 6, 1), "edge: the single best image"),
        (
            "spike",
            _spike_images(),
            (
                "convention: one bright pixel against uniformly lit images; the "
                "score is the maximum over positions"
            ),
        ),
        (
            "second channel",
            _dark_unit(),
            "convention: the unit is channel 1, not the whole layer",
        ),
    )
    return tuple((name, json.dumps(kwargs), label) for name, kwargs, label in cases)


def top_k_cases(seed: int) -> list[Case]:
    cases = [
        Case(name, json.loads(kwargs), label) for name, kwargs, label in _fixed_top_k()
    ]
    rng = np.random.default_rng(seed)
    for i in range(7):
        problem = _top_k_problem(rng, int(rng.integers(6, 11)), int(rng.integers(2, 5)))
        cases.append(Case(f"random {i + 1}", problem, "random", hidden=i >= 5))
    return cases


def _distinct_valid(kwargs: dict[str, Any], got: Any) -> str | None:
    indices = [int(i) for i in np.asarray(got).reshape(-1)]
    count = len(kwargs["images"])
    if len(set(indices)) != len(indices) or any(not 0 <= i < count for i in indices):
        return f"{indices} repeats an index or names an image that does not exist"
    return None


TOP_K = register(
    ExerciseSpec(
        id="top_k_activating",
        title="Images that activate a unit most",
        topic="6.7",
        entry_point="top_k_activating",
        signature="def top_k_activating(images, weight, bias, channel, k) -> list[int]",
        statement=(
            "images is a batch (N, C, H, W). The layer is h = ReLU(conv(x, weight) + "
            "bias) for each image, a cross-correlation as in PyTorch's conv2d (stride 1, "
            "no padding), weight (C_out, C, k_h, k_w), bias (C_out,). The unit is the "
            "channel `channel` of h; its score on an image is the MAXIMUM of that "
            "channel over all spatial positions. Return the indices of the k images "
            "with the highest scores (any order; the cases have no ties at the k-th place)."
        ),
        reference=visualisation.top_k_activating,
        make_cases=top_k_cases,
        compare=unordered_indices(),
        mistakes=(
            Mistake(
                "top-k-mean",
                "Mean over positions instead of the maximum",
                "A unit fires on a pattern wherever it is; the image's score is its strongest response, the maximum over positions. The mean favours images where the pattern is spread out.",
                _top_k_variant("mean"),
            ),
            Mistake(
                "top-k-all-channels",
                "Maximum over every channel",
                "The unit is one channel: take the maximum of h[channel] only, not of the whole layer.",
                _top_k_variant("all channels"),
            ),
            Mistake(
                "top-k-lowest",
                "The k lowest scores",
                "Sorting ascending and taking the first k returns the images the unit likes least. Take the k HIGHEST scores.",
                _top_k_variant("lowest"),
            ),
        ),
        properties=(
            Property(
                "top-k-distinct",
                "the indices are distinct images of the batch",
                per_case(_distinct_valid),
            ),
        ),
        forbidden=("captum",),
    )
)


# ------------------------------------------------------------- gradient ascent

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
            "x": _draw(rng, (channels, size, size), 0.0, 1.0),
            "weight": _draw(rng, (3, channels, kernel, kernel), -1.0, 1.0),
            "bias": _draw(rng, (3,), -0.3, 0.3),
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
            ),
            Mistake(
                "grad-ascent-sum",
                "Sum over positions instead of the mean",
                "a(x) is a mean over the P positions of the channel; a sum makes the "
                "step P times larger.",
                _ascent_variant("sum square"),
            ),
            Mistake(
                "grad-ascent-not-squared",
                "Mean activation, not the mean of its square",
                "Some tutorials maximise the mean activation; the notes maximise the "
                "'MSE' of the output, the mean of h².",
                _ascent_variant("mean"),
            ),
            Mistake(
                "grad-ascent-no-relu",
                "ReLU left out",
                "The unit's output is h = ReLU(conv + bias). Without the ReLU, "
                "positions where the unit is off still pull on the image.",
                _ascent_variant("pre-activation"),
            ),
            Mistake(
                "grad-ascent-normalised",
                "Gradient normalised to unit length",
                "Keras tutorials divide the gradient by its norm; here the step is the "
                "plain lr·∇ₓ a(x).",
                _ascent_variant(normalise=True),
            ),
            Mistake(
                "grad-ascent-image-unchanged",
                "x returned unchanged",
                "Your function gives back x as it came in. The gradient is taken with "
                "respect to the INPUT image and the step is applied to it: return "
                "x + lr·∇ₓ a(x), while the weights stay as they are.",
                _ascent_variant(direction=0.0),
            ),
        ),
        forbidden=("captum", "lucent"),
    )
)
