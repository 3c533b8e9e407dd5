"""Exercise spec for lecture 6.4: labelling filters dead, all-negative or
healthy from their per-channel minimum and maximum."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import equal
from engine.reference import debugging
from engine.specs import register
from engine.specs.base import Case, ExerciseSpec, Mistake, Property, per_case
from engine.specs.debugging import (
    NOTES_TAU,
    as_lists,
    notes_filters,
    place,
    random_shape,
)

# --------------------------------------------------------------- classification


def _channel_values(
    rng: np.random.Generator, kind: str, count: int, tau: float
) -> np.ndarray:
    """Values for one channel of a given kind, at least a factor 10 away from
    every threshold: dead channels stay within τ/10, the others reach 10τ."""
    if kind == "dead":
        decimals = int(-np.floor(np.log10(tau))) + 3
        return np.round(rng.uniform(-0.09, 0.09, count) * tau, decimals)
    if kind == "all-negative":
        high = -rng.uniform(0.2, 1.5)
        values = rng.uniform(high - rng.uniform(0.5, 2.0), high, count)
    elif kind == "positive":
        values = np.maximum(rng.uniform(-1.0, 2.0, count), 0.0)
        values[rng.integers(count)] = rng.uniform(0.5, 2.0)
    else:
        values = rng.uniform(-2.5, 2.0, count)
        values[:2] = (rng.uniform(-2.5, -0.5), rng.uniform(0.5, 2.0))
        rng.shuffle(values)
    return np.round(values, 4)


def _classify_from(
    minimum: np.ndarray, maximum: np.ndarray, tau: float, *, negative: Any, dead: Any
) -> list[str]:
    labels = []
    for low, high in zip(minimum, maximum, strict=True):
        if dead(low, high, tau):
            labels.append("dead")
        elif negative(low, high, tau):
            labels.append("all-negative")
        else:
            labels.append("healthy")
    return labels


def _classify_variant(
    *, negative: Any = None, dead: Any = None, swap: bool = False
) -> Any:
    def run(activations: np.ndarray, layout: str, tau: float) -> list[str]:
        low, high, _ = debugging.channel_stats(activations, layout)
        labels = _classify_from(
            low,
            high,
            tau,
            negative=negative or (lambda lo, hi, t: hi < -t),
            dead=dead or (lambda lo, hi, t: max(abs(lo), abs(hi)) <= t),
        )
        swapped = {"dead": "all-negative", "all-negative": "dead"} if swap else {}
        return [swapped.get(label, label) for label in labels]

    return run


def classify_channels_cases(seed: int) -> list[Case]:
    def case(name: str, activations: Any, layout: str, tau: float, label: str) -> Case:
        kwargs = {
            "activations": np.asarray(activations, float),
            "layout": layout,
            "tau": tau,
        }
        return Case(name, kwargs, label)

    cases = [
        case("notes filters", notes_filters("channels_last"), "channels_last", NOTES_TAU,
             "edge: the notes' filters [0], [1], [2], [7] with τ = 0.01"),
        case("constant channels", [[[[1.5, 1.5], [1.5, 1.5]], [[-0.75] * 2] * 2, [[0.0] * 2] * 2]],
             "channels_first", 1e-6, "edge: constant channels, (1, C, H, W)"),
        case("after a relu", np.maximum(notes_filters("channels_last")[..., :3], 0.0) * [0, 1, 1],
             "channels_last", 1e-6, "edge: a layer output after ReLU: nothing is negative"),
        case("dense batch of one", [[0.0, -1.25, 2.5, 5e-8]], "channels_first", 1e-6,
             "edge: a Dense layer's output for one sample, (1, C)"),
        case("at the tolerance", [[-0.25, 1.0], [0.125, -0.5], [0.25, 0.75]], "channels_last", 0.25,
             "convention: max(|min|, |max|) = τ exactly counts as dead"),
        case("one negative sample", [[-1.0, 0.5], [0.75, 0.5]], "channels_first", 1e-6,
             "edge: a channel negative for sample 0 and positive for sample 1 is healthy"),
        case("just below zero", [[-0.5, -0.5, -1.0], [-0.25, -0.125, -0.375]], "channels_last",
             0.25, "convention: min < −τ with max = −τ, or −τ < max < 0, is healthy: "
             "neither dead nor all-negative (that needs max < −τ)"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    kinds = ("dead", "all-negative", "healthy", "positive")
    for i in range(7):
        layout, tau = debugging.LAYOUTS[i % 2], float(rng.choice([0.01, 1e-3, 1e-6]))
        shape = random_shape(rng)
        count = int(np.prod(shape))
        chosen = rng.choice(kinds, size=int(rng.integers(2, 5)))
        channels = [_channel_values(rng, str(kind), count, tau) for kind in chosen]
        cases.append(
            Case(
                f"random {i + 1}",
                {
                    "activations": place(channels, shape, layout),
                    "layout": layout,
                    "tau": tau,
                },
                "random",
                hidden=i >= 5,
            )
        )
    return as_lists(cases)


def _labels_known(kwargs: dict[str, Any], got: Any) -> str | None:
    known = {debugging.DEAD, debugging.ALL_NEGATIVE, debugging.HEALTHY}
    strange = [label for label in got if label not in known]
    return f"unknown label {strange[0]!r}" if strange else None


CLASSIFY_CHANNELS = register(
    ExerciseSpec(
        id="classify_channels",
        title="Spot dead and all-negative filters",
        topic="6.4",
        entry_point="classify_channels",
        signature="def classify_channels(activations, layout, tau) -> list[str]",
        statement=(
            "activations and layout are as in channel_stats: a layer's output before its "
            "activation function, with the channel axis last ('channels_last') or at axis "
            "1 ('channels_first'). tau is an absolute tolerance. From each channel's min "
            "and max over the batch and all positions, label it 'dead' when "
            "max(|min|, |max|) ≤ tau, otherwise 'all-negative' when max < −tau, otherwise "
            "'healthy'. Return the list of C labels, in channel order."
            " Arrays arrive as nested Python lists: convert them with np.asarray."
        ),
        reference=debugging.classify_channels,
        make_cases=classify_channels_cases,
        compare=equal(),
        mistakes=(
            Mistake(
                "debug-negative-on-min",
                "All-negative tested on the minimum",
                "A channel is all-negative when even its LARGEST value is negative "
                "(max < −τ): then a ReLU always outputs 0. A healthy filter has a negative "
                "minimum too.",
                _classify_variant(negative=lambda lo, hi, t: lo < -t),
                point="Which statistic of a channel do you compare with −tau to call it all-negative: its smallest value or its largest?",
                fix="With `lo, hi` the channel's min and max: `elif hi < -tau: label = 'all-negative'` (the max, not the min)",
            ),
            Mistake(
                "debug-dead-by-range",
                "Dead tested on the range max − min",
                "'min ≈ max ≈ 0' means both are close to ZERO, not to each other: a "
                "channel stuck at a constant 1.5 still passes a signal. Test "
                "max(|min|, |max|) ≤ τ.",
                _classify_variant(dead=lambda lo, hi, t: hi - lo <= t),
                point="Your dead test compares the min and the max with each other: what does it say about a channel stuck at 1.5, as in the visible 'constant channels' case?",
                fix="With `lo, hi` the channel's min and max: `if max(abs(lo), abs(hi)) <= tau: label = 'dead'`, in place of `hi - lo <= tau`",
            ),
            Mistake(
                "debug-dead-strict",
                "A channel exactly at the tolerance not called dead",
                "The rule is max(|min|, |max|) ≤ τ, with equality: a channel whose "
                "largest magnitude is exactly τ is dead.",
                _classify_variant(dead=lambda lo, hi, t: max(abs(lo), abs(hi)) < t),
                point="Look at the comparison in your dead test: which label does a channel get when max(|min|, |max|) equals tau exactly? See the visible 'at the tolerance' case.",
                fix="`if max(abs(lo), abs(hi)) <= tau: label = 'dead'` (≤, not <)",
            ),
            Mistake(
                "debug-labels-swapped",
                "'dead' and 'all-negative' exchanged",
                "Dead: every value near zero, max(|min|, |max|) ≤ τ. All-negative: every "
                "value clearly below zero, max < −τ. Your labels are the other way round.",
                _classify_variant(swap=True),
                point="Look at the label each of your two tests returns: does the near-zero test give 'dead'?",
                fix="With `lo, hi` the channel's min and max: `'dead' if max(abs(lo), abs(hi)) <= tau else 'all-negative' if hi < -tau else 'healthy'`",
            ),
        ),
        properties=(
            Property(
                "debug-labels-known",
                "every label is 'dead', 'all-negative' or 'healthy'",
                per_case(_labels_known),
            ),
        ),
        forbidden=("tensorflow", "keras"),
    )
)
