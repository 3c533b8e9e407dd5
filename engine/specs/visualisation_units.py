"""Exercise spec for lecture 6.7: what a single unit responds to, as the inputs
that activate it most (one step of gradient ascent on the input is in
`visualisation_ascent`)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

import numpy as np

from engine.compare import unordered_indices
from engine.reference import visualisation
from engine.reference.style import as_tensor, conv_relu
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case


def draw(
    rng: np.random.Generator, shape: tuple[int, ...], low: float, high: float
) -> Any:
    return np.round(rng.uniform(low, high, size=shape), 2).tolist()


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
            "images": draw(rng, (count, 1, 4, 4), 0.0, 1.0),
            "weight": draw(rng, (3, 1, 2, 2), -1.0, 1.0),
            "bias": draw(rng, (3,), -0.3, 0.3),
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
                point="How do you turn the unit's map on one image into a single score? In the visible 'spike' case (k = 2), which two images does your score rank highest, and which two should it?",
                fix="`scores = [float(h_n[channel].max()) for h_n in maps]` (not `.mean()`), `maps` holding ReLU(conv + bias) of each image; `return [int(i) for i in np.argsort(scores)[::-1][:k]]`",
            ),
            Mistake(
                "top-k-all-channels",
                "Maximum over every channel",
                "The unit is one channel: take the maximum of h[channel] only, not of the whole layer.",
                _top_k_variant("all channels"),
                point="Which part of the layer's output do you score: the unit's channel or every channel? Check the visible 'second channel' case.",
                fix="`score = h[channel].max()` (one channel of the image's map h), in place of `h.max()`",
            ),
            Mistake(
                "top-k-lowest",
                "The k lowest scores",
                "Sorting ascending and taking the first k returns the images the unit likes least. Take the k HIGHEST scores.",
                _top_k_variant("lowest"),
                point="Look at how you pick k images from the scores: which end of the sorted order do you take?",
                fix="`return [int(i) for i in np.argsort(scores)[::-1][:k]]` (highest first), or `np.argsort(scores)[-k:]`",
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
