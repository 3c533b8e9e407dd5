"""Exercise specs for lecture 6.7: occlusion maps and first-layer filters shown
as images (the unit-level methods are in `visualisation_units` and
`visualisation_ascent`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from engine.compare import allclose
from engine.reference import visualisation
from engine.reference.style import as_tensor
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)

MAP_SHAPE = "a map of shape ((H − patch)//stride + 1, (W − patch)//stride + 1)"
FILTERS_SHAPE = "an array of shape (F, C, k_h, k_w), the same as weights"


def _draw(
    rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float
) -> Any:
    return np.round(rng.uniform(low, high, size=shape), 2).tolist()


# -------------------------------------------------------------------- occlusion


def _occlusion_variant(
    *,
    score: str = "probability",
    transpose: bool = False,
    partial: bool = False,
    zero_fill: bool = False,
    accumulate: bool = False,
) -> Callable[..., np.ndarray]:
    def run(
        image: Any,
        label: int,
        weight: Any,
        bias: Any,
        patch: int,
        stride: int,
        fill: float,
    ) -> np.ndarray:
        x, w, b = as_tensor(image), as_tensor(weight), as_tensor(bias)
        size = math.ceil if partial else math.floor
        rows = size((x.shape[1] - patch) / stride) + 1
        cols = size((x.shape[2] - patch) / stride) + 1
        clean = torch.softmax(w @ x.reshape(-1) + b, dim=0)[label]
        grid = np.empty((rows, cols))
        for i in range(rows):
            for j in range(cols):
                covered = visualisation.occluded(
                    x, i * stride, j * stride, patch, 0.0 if zero_fill else fill
                )
                if accumulate:  # the patches pile up in one image, row by row
                    x = covered
                logits = w @ covered.reshape(-1) + b
                p = torch.softmax(logits, dim=0)[label]
                grid[i, j] = {
                    "probability": p,
                    "logit": logits[label],
                    "one minus": 1 - p,
                    "drop": clean - p,
                }[score]
        return grid.T if transpose else grid

    return run


def _occlusion_problem(
    rng: np.random.Generator,
    shape: tuple[int, int, int],
    patch: int,
    stride: int,
    fill: float,
    classes: int = 3,
) -> dict[str, Any]:
    return {
        "image": _draw(rng, shape, 0.0, 1.0),
        "label": int(rng.integers(0, classes)),
        "weight": _draw(rng, (classes, int(np.prod(shape))), -1.0, 1.0),
        "bias": _draw(rng, (classes,), -0.5, 0.5),
        "patch": patch,
        "stride": stride,
        "fill": fill,
    }


def occlusion_cases(seed: int) -> list[Case]:
    fixed = np.random.default_rng(67)
    edge = [
        (
            "whole image",
            (1, 3, 3),
            3,
            1,
            0.5,
            "edge: the patch covers the whole image, a 1×1 map",
        ),
        ("pixels", (1, 3, 3), 1, 1, 0.5, "edge: 1×1 patches, stride 1"),
        ("gaps", (1, 5, 5), 1, 3, 0.5, "edge: stride larger than the patch"),
        (
            "wide image",
            (1, 4, 6),
            2,
            2,
            0.5,
            "convention: H ≠ W, the map is (rows, columns)",
        ),
        (
            "no partial patches",
            (1, 5, 5),
            2,
            2,
            0.5,
            "convention: (5 − 2)//2 + 1 = 2 positions, no patch sticks out",
        ),
        ("black patch", (1, 4, 4), 2, 1, 0.0, "edge: fill = 0"),
        ("two channels", (2, 4, 4), 2, 2, 0.5, "edge: the patch covers every channel"),
    ]
    cases = [
        Case(name, _occlusion_problem(fixed, shape, k, s, fill), label)
        for name, shape, k, s, fill, label in edge
    ]
    cases.sort(key=lambda case: case.label.startswith("convention"))  # edges first
    rng = np.random.default_rng(seed)
    for i in range(6):
        shape = (1, int(rng.integers(4, 7)), int(rng.integers(4, 7)))
        patch, stride = int(rng.integers(2, 4)), int(rng.integers(1, 3))
        fill = float(rng.choice([0.5, 0.25, 0.0]))
        problem = _occlusion_problem(rng, shape, patch, stride, fill)
        cases.append(Case(f"random {i + 1}", problem, "random", hidden=i >= 4))
    return cases


def _map_shape(kwargs: dict[str, Any]) -> tuple[int, int]:
    _, height, width = np.shape(kwargs["image"])
    patch, stride = kwargs["patch"], kwargs["stride"]
    return (height - patch) // stride + 1, (width - patch) // stride + 1


def _probabilities(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, dtype=float)
    if values.size and (values.min() < 0 or values.max() > 1):
        return f"values from {values.min():.4g} to {values.max():.4g}"
    return None


OCCLUSION = register(
    ExerciseSpec(
        id="occlusion_map",
        title="Occlusion sensitivity map",
        topic="6.7",
        entry_point="occlusion_map",
        signature="def occlusion_map(image, label, weight, bias, patch, stride, fill) -> array",
        statement=(
            "image is (C, H, W). The classifier is linear-softmax on the image "
            "flattened in (C, H, W) order: logits = weight @ image.reshape(-1) + bias, "
            "weight (K, C·H·W), bias (K,). Slide a patch×patch square with the given "
            "stride, without padding: position (i, j) sets rows i·stride … "
            "i·stride + patch − 1 and columns j·stride … j·stride + patch − 1 of every "
            f"channel to fill. Return {MAP_SHAPE}, rows first: entry (i, j) is the "
            "softmax probability of the true class label with the patch at position "
            "(i, j). Patches that would stick out of the image are not used."
        ),
        reference=visualisation.occlusion_map,
        make_cases=occlusion_cases,
        compare=allclose(rtol=0, atol=1e-6),
        shapes=(ShapePromise(MAP_SHAPE, lambda kwargs: True, _map_shape),),
        mistakes=(
            Mistake(
                "occlusion-logits",
                "Logits instead of probabilities",
                "The map records the network's confidence in the true class: the softmax probability, not the raw score.",
                _occlusion_variant(score="logit"),
                point="Look at the number you store in each entry: is it already a probability between 0 and 1?",
                fix="`z = np.asarray(weight) @ occ.reshape(-1) + np.asarray(bias)`; `p = np.exp(z - z.max())`; `p /= p.sum()`; `out[i, j] = p[label]`",
            ),
            Mistake(
                "occlusion-one-minus",
                "1 − p instead of p",
                "Each entry is the probability of the true class with the patch in place. Important regions show up as LOW values.",
                _occlusion_variant(score="one minus"),
                point="Look at the value you store for each patch position: is it the probability of the true class itself, or something computed from it?",
                fix="`out[i, j] = p[label]`, `p` being the softmax of the occluded image's logits, not `1 - p[label]`",
            ),
            Mistake(
                "occlusion-probability-drop",
                "Drop in probability instead of the probability",
                "p(unoccluded) − p(occluded) is what Captum reports; the notes record the true-class probability itself.",
                _occlusion_variant(score="drop"),
                point="Does your entry use the unoccluded image at all? Read again what the statement says entry (i, j) is, and compare it with what you store.",
                fix="`out[i, j] = p[label]`, the softmax probability for the occluded image alone, with no `p_clean - …`",
            ),
            Mistake(
                "occlusion-transposed",
                "Map transposed",
                "Entry (i, j) is the patch at row offset i·stride and column offset j·stride, so the map has one row per vertical position.",
                _occlusion_variant(transpose=True),
                point="What shape does your map have for the visible 'wide image' case (H = 4, W = 6)? Which loop index moves the patch down?",
                fix="`out = np.empty(((H - patch) // stride + 1, (W - patch) // stride + 1))`; `out[i, j]` covers rows `i * stride:i * stride + patch` and columns `j * stride:j * stride + patch`",
            ),
            Mistake(
                "occlusion-partial-patches",
                "Patches that stick out of the image",
                "Without padding the last position is the one whose patch still fits entirely inside the image: (H − patch)//stride + 1 positions down and (W − patch)//stride + 1 across (floor, not ceil).",
                _occlusion_variant(partial=True),
                point="How many patch positions do you use along each axis? In the visible 'no partial patches' case, does your last patch still fit inside the image?",
                fix="`rows = (H - patch) // stride + 1`; `cols = (W - patch) // stride + 1` (floor division, not `math.ceil`)",
            ),
            Mistake(
                "occlusion-fill-ignored",
                "Patch filled with 0 instead of fill",
                "The occluder is a square of value fill (a grey square for 0.5), not black.",
                _occlusion_variant(zero_fill=True),
                point="Look at the value you write into the patch: where does the `fill` argument go?",
                fix="`occ[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill`, not `= 0`",
            ),
            Mistake(
                "occlusion-patches-accumulate",
                "Patches pile up in one image",
                "You wrote every patch into the same array without copying it, so each "
                "position also hides all the earlier ones. Start every position from a "
                "fresh copy of the clean image.",
                _occlusion_variant(accumulate=True),
                point="Which image does each patch position start from? Check whether the array you write the patch into is shared between positions.",
                fix="Inside the loop: `occ = np.asarray(image, float).copy()`, then `occ[:, i * stride:i * stride + patch, j * stride:j * stride + patch] = fill`",
            ),
        ),
        properties=(
            Property(
                "occlusion-probability-range",
                "every entry is a probability, in [0, 1]",
                per_case(_probabilities),
            ),
        ),
        forbidden=("captum",),
    )
)

# ---------------------------------------------------------------- filter display


def _filters_variant(mode: str) -> Callable[[Any], np.ndarray]:
    def run(weights: Any) -> np.ndarray:
        w = np.asarray(weights, dtype=float)
        if mode == "global":
            return visualisation.normalise_filters(w.reshape(1, *w.shape))[0]
        if mode == "per channel":
            return visualisation.normalise_filters(
                w.reshape(-1, 1, *w.shape[2:])
            ).reshape(w.shape)
        flat = w.reshape(w.shape[0], -1)
        if mode == "symmetric":
            scale = np.abs(flat).max(axis=1, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                return (flat / (2 * scale) + 0.5).reshape(w.shape)
        low, high = flat.min(axis=1, keepdims=True), flat.max(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            return ((flat - low) / (high - low)).reshape(w.shape)

    return run


def filters_cases(seed: int) -> list[Case]:
    edge = [
        ("one value", [[[[0.7]]]], "edge: a single 1×1 filter, constant: all zeros"),
        (
            "constant filter",
            [[[[0.2, 0.2], [0.2, 0.2]]], [[[-1.0, 0.0], [0.5, 1.0]]]],
            "convention: a constant filter maps to zeros",
        ),
        (
            "different ranges",
            [[[[-1.0, 1.0], [0.0, 0.5]]], [[[0.0, 0.5], [0.25, 0.125]]]],
            "edge: filters with different ranges",
        ),
        (
            "one filter, three channels",
            [[[[0.0, 2.0]], [[-1.0, 1.0]], [[3.0, 1.0]]]],
            "edge: one filter, its channels normalised together",
        ),
        (
            "already in range",
            [[[[0.0, 1.0], [0.25, 0.5]]], [[[-0.5, -0.25], [0.5, 0.0]]]],
            "edge: a filter already spanning [0, 1] is unchanged",
        ),
    ]
    cases = [Case(name, {"weights": w}, label) for name, w, label in edge]
    cases.sort(key=lambda case: case.label.startswith("convention"))  # edges first
    rng = np.random.default_rng(seed)
    for i in range(6):
        shape = (
            int(rng.integers(2, 5)),
            int(rng.choice([1, 3])),
            *(2 * [int(rng.integers(2, 4))]),
        )
        case = {"weights": _draw(rng, shape, -1.0, 1.0)}
        cases.append(Case(f"random {i + 1}", case, "random", hidden=i >= 4))
    return cases


def _filters_in_range(kwargs: dict[str, Any], got: Any) -> str | None:
    values = np.asarray(got, dtype=float)
    if not np.all((values >= 0) & (values <= 1)):
        return "a value lies outside [0, 1] (or is not a number)"
    w = np.asarray(kwargs["weights"], dtype=float)
    for f in range(w.shape[0]):
        if np.ptp(w[f]) > 0 and (
            abs(values[f].min()) > 1e-6 or abs(values[f].max() - 1) > 1e-6
        ):
            return f"filter {f} spans {values[f].min():.4g} … {values[f].max():.4g}, not 0 … 1"
    return None


FILTERS = register(
    ExerciseSpec(
        id="normalise_filters",
        title="First-layer filters normalised for display",
        topic="6.7",
        entry_point="normalise_filters",
        signature="def normalise_filters(weights) -> array",
        statement=(
            "weights holds the first convolution layer's filters, shape (F, C, k_h, "
            "k_w). To show each filter as an image, rescale it on its own, all its "
            "channels together: (w − min)/(max − min), with min and max taken over "
            "that filter only. A constant filter (max = min) has nothing to show: "
            f"return zeros for it. Return {FILTERS_SHAPE}, every value in [0, 1]."
        ),
        reference=visualisation.normalise_filters,
        make_cases=filters_cases,
        compare=allclose(rtol=0, atol=1e-6),
        shapes=(
            ShapePromise(
                FILTERS_SHAPE,
                lambda kwargs: True,
                lambda kwargs: tuple(np.shape(kwargs["weights"])),
            ),
        ),
        mistakes=(
            Mistake(
                "normalise-filters-global",
                "One min-max for all filters",
                "A single min and max over the whole layer lets one strong filter wash out the others. Normalise each filter with its own min and max.",
                _filters_variant("global"),
                point="Over which values do you take the min and the max: one filter, or the whole layer? Try the visible 'different ranges' case.",
                fix="`w = np.asarray(weights, float)`; `lo = w.min(axis=(1, 2, 3), keepdims=True)`; `hi = w.max(axis=(1, 2, 3), keepdims=True)`; then `(w - lo) / (hi - lo)`, zeros where `hi == lo`",
            ),
            Mistake(
                "normalise-filters-per-channel",
                "Each channel normalised separately",
                "A filter's channels are the colours of one image: stretching each channel separately changes its colours. Use one min and max per filter.",
                _filters_variant("per channel"),
                point="Over which axes do you take each min and max? In the visible case 'one filter, three channels', should the three channels share one range?",
                fix="`lo = w.min(axis=(1, 2, 3), keepdims=True)` and `hi = w.max(axis=(1, 2, 3), keepdims=True)`: over the channels and both kernel axes, not over `(2, 3)` only",
            ),
            Mistake(
                "normalise-filters-constant-nan",
                "Division by zero for a constant filter",
                "When max = min, (w − min)/(max − min) is 0/0. A constant filter maps to zeros.",
                _filters_variant("constant nan"),
                point="What does your formula give for a filter whose values are all equal? Look at the visible 'one value' case.",
                fix="`span = hi - lo`; `out = np.divide(w - lo, span, out=np.zeros_like(w), where=span > 0)`",
            ),
            Mistake(
                "normalise-filters-symmetric",
                "w/(2·max|w|) + 0.5 instead of min-max",
                "Centring zero at grey is another display convention; here the filter's minimum maps to 0 and its maximum to 1.",
                _filters_variant("symmetric"),
                point="Which value of a filter does your formula send to 0, and which to 1? Is it the filter's minimum and maximum?",
                fix="`out = (w - lo) / (hi - lo)` with `lo`, `hi` each filter's min and max (`axis=(1, 2, 3), keepdims=True`), in place of `w / (2 * max|w|) + 0.5`",
            ),
        ),
        properties=(
            Property(
                "normalise-filters-range",
                "values lie in [0, 1] and each non-constant filter spans exactly 0 … 1",
                per_case(_filters_in_range),
            ),
        ),
        forbidden=("sklearn",),
    )
)
