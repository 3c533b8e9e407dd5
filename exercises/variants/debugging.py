"""Variants for lecture 6.4: layer statistics per channel, and channels labelled
dead, all-negative or healthy from a printout or from the activations (answers
from `engine.reference.debugging`; error carried forward)."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import debugging
from exercises.variants import Variant, generator
from exercises.variants._common import matrix_text, parts_follow, shaped, wrongs_differ

TAU = 0.01  # the notes' printed filters: ±0.003 is dead next to ranges of ±2.5


def _stats_tensor(rng: np.random.Generator, layout: str) -> np.ndarray:
    """Activations in multiples of 0.25 in which every channel's extremes are
    not all in sample 0 and no channel is constant."""
    shape = {"channels_last": (2, 2, 2, 3), "channels_first": (2, 3, 2, 2)}
    while True:
        values = rng.integers(-8, 9, size=shape.get(layout, (4, 3))) / 4
        axes = "channels_last" if layout == "dense" else layout
        low, high, _ = debugging.channel_stats(values, axes)
        first_low, first_high, _ = debugging.channel_stats(values[:1], axes)
        alone = np.array_equal(first_low, low) and np.array_equal(first_high, high)
        if np.all(low < high) and (layout == "dense" or not alone):
            return values


def _slices(values: np.ndarray, layout: str) -> list[dict[str, Any]]:
    if layout == "dense":
        return [{"name": "p", "values": values}]
    return [
        {"name": f"p[{n}, {i}]", "values": values[n, i]}
        for n in range(values.shape[0])
        for i in range(values.shape[1])
    ]


@generator(
    "channel_stats_table",
    guarantees=(
        "params layout: channels_last (2, 2, 2, 3), channels_first or dense (4, 3)",
        "values in multiples of 0.25 in [−2, 2]; no channel is constant",
        "for images, sample 0 alone does not hold every channel's extremes",
        "answer rows min, max (and mean for dense) from the engine's channel_stats",
    ),
    holds=wrongs_differ,
)
def channel_stats_table(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    layout = str(params.get("layout", "channels_last"))
    values = _stats_tensor(rng, layout)
    engine_layout = "channels_last" if layout == "dense" else layout
    low, high, mean = debugging.channel_stats(values, engine_layout)
    answer = np.vstack([low, high, mean] if layout == "dense" else [low, high])
    if layout == "dense":
        wrong = np.vstack([values.min(axis=1), values.max(axis=1), values.mean(axis=1)])
    else:
        first = debugging.channel_stats(values[:1], layout)
        wrong = np.vstack(first[:2])
    swapped = answer[[1, 0, *range(2, len(answer))]]
    values_out = {
        "tensor": values, "shape": tuple(values.shape), "slices": _slices(values, layout),
        "mins": low, "maxs": high, "means": mean,
        "wrong_swapped": matrix_text(swapped), "wrong_axis": matrix_text(wrong),
        "wrong_values": [swapped, wrong],
    }  # fmt: skip
    return Variant(values_out, answer)


def _channel_range(rng: np.random.Generator, kind: str) -> tuple[float, float]:
    """(min, max) of one channel, far (≥ 10τ) from every threshold."""
    if kind == debugging.DEAD:
        return -int(rng.integers(1, 10)) / 10000, int(rng.integers(1, 10)) / 10000
    if kind == debugging.ALL_NEGATIVE:
        high = -round(float(rng.uniform(0.2, 1.5)), 4)
        return round(high - float(rng.uniform(0.3, 1.5)), 4), high
    return -round(float(rng.uniform(0.5, 2.5)), 4), round(
        float(rng.uniform(0.1, 2.0)), 4
    )


GROUPS = {
    "dead": debugging.DEAD,
    "all_negative": debugging.ALL_NEGATIVE,
    "healthy": debugging.HEALTHY,
}


def _grouped(labels: list[str], channels: list[str]) -> dict[str, list[str]]:
    """Channel names by label: {"dead": [...], "all_negative": [...], ...}."""
    pairs = list(zip(channels, labels, strict=True))
    return {
        group: [channel for channel, label in pairs if label == wanted]
        for group, wanted in GROUPS.items()
    }


def _groups_holds(variant: Variant) -> str | None:
    groups = ("dead", "all_negative")
    empty = [g for g in groups if not variant.values["groups"][g]]
    return f"no {empty[0]} channel" if empty else None


@generator(
    "classify_printout",
    guarantees=(
        "6 printed channels: at least one dead, one all-negative and two healthy",
        "every min and max at least 10τ away from the thresholds (τ = 0.01)",
        "labels from the engine's classify; healthy carried from the student's sets",
    ),
    holds=_groups_holds,
)
def classify_printout(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    kinds = [
        debugging.DEAD,
        debugging.ALL_NEGATIVE,
        debugging.HEALTHY,
        debugging.HEALTHY,
    ]
    kinds += [str(k) for k in rng.choice(kinds, size=2)]
    rng.shuffle(kinds)
    ranges = [_channel_range(rng, kind) for kind in kinds]
    labels = [debugging.classify(low, high, TAU) for low, high in ranges]
    channels = [str(c) for c in range(len(kinds))]
    groups = _grouped(labels, channels)
    answer = groups

    def healthy(earlier: dict[str, Any]) -> Any:
        flagged = set(earlier["dead"]) | set(earlier["all_negative"])
        return [c for c in channels if c not in flagged]

    follow = parts_follow({"healthy": ({"dead", "all_negative"}, healthy)})
    layer = f"conv2d_{int(rng.integers(1, 6))}"
    lines = [
        f"layer {layer}[{c}]  min={low:.4f}  max={high:.4f}"
        for c, (low, high) in zip(channels, ranges, strict=True)
    ]
    values = {"lines": lines, "tau": TAU, "groups": groups, "ranges": ranges}
    return Variant(values, answer, follow)


def _dense_channel(rng: np.random.Generator, kind: str, count: int) -> np.ndarray:
    if kind == debugging.DEAD:
        return rng.integers(-4, 5, size=count) / 1000
    if kind == debugging.ALL_NEGATIVE:
        return -rng.integers(1, 9, size=count) / 4
    values = rng.integers(-8, 9, size=count) / 4
    values[:2] = -int(rng.integers(1, 9)) / 4, int(rng.integers(1, 9)) / 4
    return rng.permutation(values)


@generator(
    "classify_from_activations",
    guarantees=(
        "a Dense output (N, C) = (4, 4), τ = 0.01",
        "at least one dead and one all-negative channel, the others with both signs",
        "dead values within ±0.004, the others multiples of 0.25",
        "labels carried forward from the student's own minima and maxima",
    ),
    holds=_groups_holds,
)
def classify_from_activations(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    kinds = [debugging.DEAD, debugging.ALL_NEGATIVE, debugging.HEALTHY]
    kinds += [str(rng.choice(kinds))]
    rng.shuffle(kinds)
    tensor = np.stack([_dense_channel(rng, k, 4) for k in kinds], axis=1)
    low, high, _ = debugging.channel_stats(tensor, "channels_last")
    channels = [str(c) for c in range(len(kinds))]
    labels = debugging.classify_channels(tensor, "channels_last", TAU)
    groups = _grouped(labels, channels)
    answer = {
        "stats": np.vstack([low, high]),
        "dead": groups["dead"],
        "all_negative": groups["all_negative"],
    }

    def from_stats(kind: str) -> Any:
        def labelled(earlier: dict[str, Any]) -> Any:
            mine = shaped(earlier["stats"], (2, len(channels)))
            if mine is None:
                return None
            mine_labels = [debugging.classify(lo, hi, TAU) for lo, hi in mine.T]
            return _grouped(mine_labels, channels)[kind]

        return labelled

    follow = parts_follow(
        {
            "dead": ({"stats"}, from_stats("dead")),
            "all_negative": ({"stats"}, from_stats("all_negative")),
        }
    )
    values = {"tensor": tensor, "tau": TAU, "groups": groups, "mins": low, "maxs": high}
    return Variant(values, answer, follow)
