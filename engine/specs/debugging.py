"""Exercise spec for lecture 6.4: per-channel statistics of a layer's output.
The case-building helpers here also serve `dead_filters`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from engine.compare import Comparator, Outcome, allclose, as_float_array, fields
from engine.reference import debugging
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    as_lists,
    per_case,
)

# The notes' printed filters: (min, max) of conv2d_0_m[0], [1], [2] and [7].
NOTES_RANGES = (
    (-0.003, 0.003),
    (-2.4972, 1.5494),
    (-2.4191, 1.7075),
    (-1.819, -1.4244),
)
NOTES_TAU = 0.01


def notes_filters(layout: str) -> np.ndarray:
    """(2, 3, 3, 4) channels-last activations whose channels span exactly the
    notes' printed ranges; transposed to NCHW for "channels_first"."""
    fractions = (np.arange(18) * 7 % 18) / 17.0  # a fixed shuffle of 0 … 1
    columns = [np.round(lo + (hi - lo) * fractions, 4) for lo, hi in NOTES_RANGES]
    nhwc = np.stack(columns, axis=-1).reshape(2, 3, 3, 4)
    return nhwc if layout == "channels_last" else nhwc.transpose(0, 3, 1, 2).copy()


def place(
    channels: list[np.ndarray], shape: tuple[int, ...], layout: str
) -> np.ndarray:
    """Lay out per-channel value vectors in an activation tensor.

    `shape` is the tensor's shape without the channel axis, batch first.
    """
    stacked = np.stack([values.reshape(shape) for values in channels], axis=-1)
    if layout == "channels_last":
        return stacked
    return np.moveaxis(stacked, -1, 1).copy()


def random_shape(rng: np.random.Generator) -> tuple[int, ...]:
    batch = int(rng.integers(1, 4))
    if rng.random() < 0.25:
        return (batch + 2,)  # a Dense layer: (N, C)
    return (batch, int(rng.integers(2, 5)), int(rng.integers(2, 5)))


# ------------------------------------------------------------------- statistics


def _stats(values: np.ndarray, axis: int) -> tuple[np.ndarray, ...]:
    others = tuple(i for i in range(values.ndim) if i != axis % values.ndim)
    return values.min(axis=others), values.max(axis=others), values.mean(axis=others)


def _stats_last_axis(activations: np.ndarray, layout: str) -> Any:
    return _stats(np.asarray(activations, float), -1)


def _stats_axis_one(activations: np.ndarray, layout: str) -> Any:
    return _stats(np.asarray(activations, float), 1)


def _stats_per_sample(activations: np.ndarray, layout: str) -> Any:
    values = np.asarray(activations, float)
    values = np.moveaxis(values, debugging.channel_axis(values.ndim, layout), -1)
    spatial = tuple(range(1, values.ndim - 1))
    return tuple(reduce(values, axis=spatial) for reduce in (np.min, np.max, np.mean))


def _stats_layer_mean(activations: np.ndarray, layout: str) -> Any:
    low, high, _ = debugging.channel_stats(activations, layout)
    return low, high, np.full(low.shape, np.asarray(activations, float).mean())


def channel_stats_cases(seed: int) -> list[Case]:
    cases = [
        Case(
            "notes filters",
            {"activations": notes_filters("channels_last"), "layout": "channels_last"},
            "edge: the notes' four filters, (N, H, W, C) as in their Keras code",
        ),
        Case(
            "notes filters nchw",
            {
                "activations": notes_filters("channels_first"),
                "layout": "channels_first",
            },
            "edge: the same activations in PyTorch's (N, C, H, W) layout",
        ),
        Case(
            "batch of one",
            {
                "activations": np.array(
                    [0.5, -1.0, 2.0, 1.5, 0.25, -0.75, -2.0, 3.0, 1.0, 0.0, 0.5, 0.5]
                    + [4.0] * 6
                ).reshape(1, 3, 2, 3),
                "layout": "channels_first",
            },
            "edge: a batch of one image, (1, C, H, W) with W = C",
        ),
        Case(
            "dense",
            {
                "activations": np.array(
                    [
                        [0.5, -1.25, 3.0],
                        [2.0, -0.5, 3.0],
                        [-1.0, -2.0, 3.0],
                        [0.25, 1.0, 3.0],
                    ]
                ),
                "layout": "channels_last",
            },
            "edge: a Dense layer's output (N, C)",
        ),
        Case(
            "dense batch of one",
            {
                "activations": np.array([[1.5, -0.25, 0.0, 7.0]]),
                "layout": "channels_first",
            },
            "edge: a Dense layer's output for one sample, (1, C)",
        ),
        Case(
            "one channel",
            {
                "activations": np.arange(8.0).reshape(2, 2, 2, 1) - 3.5,
                "layout": "channels_last",
            },
            "edge: a single channel",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i in range(6):
        layout = debugging.LAYOUTS[i % 2]
        shape, count = random_shape(rng), int(rng.integers(1, 5))
        channels = [
            np.round(rng.normal(rng.uniform(-1, 1), rng.uniform(0.1, 2), size=shape), 4)
            for _ in range(count)
        ]
        cases.append(
            Case(
                f"random {i + 1}",
                {"activations": place(channels, shape, layout), "layout": layout},
                "random",
                hidden=i >= 4,
            )
        )
    return as_lists(cases)


# Float32 arithmetic. A min or a max is one of the data's values: a float32
# solution returns that value rounded to float32, so both are compared exactly
# once rounded to float32 (distinct data values, given to four decimals, stay
# distinct). A float32 mean of n ≤ 48 values of magnitude < 10 is off by
# ~n·2^-24·max|x| at worst (measured: ≤ 3e-7 at seeds 0–199, for running
# sums, pairwise sums and torch.mean): a relative 1e-5 with an absolute floor
# of 2e-6 for means near 0.
MEAN_RTOL, MEAN_ATOL = 1e-5, 2e-6


def exact_in_float32() -> Comparator:
    """Equal values once both are rounded to float32."""
    exact = allclose(rtol=0, atol=0)

    def compare(expected: Any, got: Any) -> Outcome:
        have = as_float_array(got)
        if have is None:
            return exact(expected, got)
        want = np.asarray(expected, float).astype(np.float32)
        with np.errstate(over="ignore"):
            return exact(want, have.astype(np.float32))

    return compare


def _min_mean_max_ordered(kwargs: dict[str, Any], got: Any) -> str | None:
    low, high, mean = (np.asarray(part, float).reshape(-1) for part in got)
    slack = MEAN_ATOL + MEAN_RTOL * np.abs(mean)
    bad = np.flatnonzero((low > mean + slack) | (mean > high + slack))
    if bad.size:
        c = int(bad[0])
        return f"channel {c}: min {low[c]:g}, mean {mean[c]:g}, max {high[c]:g}"
    return None


def _same_in_both_layouts(cases: Sequence[Case], outputs: Sequence[Any]) -> str | None:
    by_name = dict(zip((case.name for case in cases), outputs, strict=True))
    for name, value in by_name.items():
        twin = by_name.get(f"{name} nchw")
        if value is None or twin is None:
            continue
        for part, twin_part in zip(value, twin, strict=True):
            if not np.allclose(
                np.asarray(part, float),
                np.asarray(twin_part, float),
                rtol=MEAN_RTOL,
                atol=MEAN_ATOL,
            ):
                return f"the statistics of {name} change when its layout changes"
    return None


STATS_SHAPE = "three arrays of shape (C,)"


def _stats_shapes(kwargs: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    shape = np.shape(kwargs["activations"])
    channels = shape[debugging.channel_axis(len(shape), kwargs["layout"])]
    return ((channels,),) * 3


_AXIS_EXPLANATION = (
    "Find the channel axis from the layout: the last axis for 'channels_last' "
    "(N, H, W, C), axis 1 for 'channels_first' (N, C, H, W); then reduce over every "
    "other axis. "
)

CHANNEL_STATS = register(
    ExerciseSpec(
        id="channel_stats",
        title="Per-channel statistics of a layer's output",
        topic="6.4",
        entry_point="channel_stats",
        signature="def channel_stats(activations, layout) -> tuple[array, array, array]",
        statement=(
            "activations is a layer's output with a leading batch axis: (N, H, W, C) or "
            "(N, C) when layout is 'channels_last' (Keras, as in the notes' code "
            "p[..., channel]), (N, C, H, W) or (N, C) when layout is 'channels_first' "
            "(PyTorch). For every channel, reduce over the batch and all spatial positions "
            f"together and return (mins, maxs, means), {STATS_SHAPE}. The mins and maxs "
            "are values of the data and must match exactly (float32 values count as "
            "exact); the means are compared within a relative 1e-5 (absolute 2e-6 near "
            "0), which float32 arithmetic meets."
            " Arrays arrive as nested Python lists: convert them with np.asarray or "
            "torch.tensor."
        ),
        reference=debugging.channel_stats,
        make_cases=channel_stats_cases,
        compare=fields(
            ("min", exact_in_float32()),
            ("max", exact_in_float32()),
            ("mean", allclose(rtol=MEAN_RTOL, atol=MEAN_ATOL)),
        ),
        shapes=(ShapePromise(STATS_SHAPE, lambda kwargs: True, _stats_shapes),),
        mistakes=(
            Mistake(
                "debug-stats-always-last-axis",
                "Channels read from the last axis whatever the layout",
                _AXIS_EXPLANATION + "The notes' p[..., channel] is right for Keras "
                "outputs only: on an NCHW tensor the last axis is the image's width.",
                _stats_last_axis,
                point="Where does your code use `layout`? Check which axis you treat as the channels in the visible 'notes filters nchw' case.",
                fix="`a = np.asarray(activations, float)`; `axis = a.ndim - 1 if layout == 'channels_last' else 1`; `rows = np.moveaxis(a, axis, 0).reshape(a.shape[axis], -1)`; `return rows.min(1), rows.max(1), rows.mean(1)`",
            ),
            Mistake(
                "debug-stats-always-axis-one",
                "Channels read from axis 1 whatever the layout",
                _AXIS_EXPLANATION + "Axis 1 is PyTorch's channel axis; in a Keras "
                "(N, H, W, C) tensor it is the image's height.",
                _stats_axis_one,
                point="Which axis holds the channels of an (N, H, W, C) tensor? Check what your code does with `layout` in the visible 'notes filters' case.",
                fix="`a = np.asarray(activations, float)`; `axis = a.ndim - 1 if layout == 'channels_last' else 1`; `others = tuple(i for i in range(a.ndim) if i != axis)`; `return a.min(axis=others), a.max(axis=others), a.mean(axis=others)`",
            ),
            Mistake(
                "debug-stats-per-sample",
                "Statistics per sample, not over the batch",
                "A channel's min, max and mean are taken over the whole batch as well as "
                "every position: reduce the batch axis too, so that each output has shape "
                "(C,), not (N, C).",
                _stats_per_sample,
                point="What shape do your three outputs have? Look at the axes you reduce over: is the batch axis among them?",
                fix="Reduce over every axis except the channel axis, the batch included: `others = tuple(i for i in range(a.ndim) if i != axis)`, e.g. `(0, 1, 2)` for (N, H, W, C) and `(0, 2, 3)` for (N, C, H, W), then `a.min(axis=others)` and so on",
            ),
            Mistake(
                "debug-stats-layer-mean",
                "The layer's mean reported for every channel",
                "Your mean is the mean of the whole tensor, repeated for each channel. "
                "Average each channel's own values, p[..., c] in the notes' layout.",
                _stats_layer_mean,
                point="Your mins and maxs are per channel: look at the line that computes the means. Which values does it average?",
                fix="`means = a.mean(axis=others)` with `others = tuple(i for i in range(a.ndim) if i != axis)`, not `a.mean()` repeated C times",
            ),
        ),
        properties=(
            Property(
                "debug-stats-ordered",
                "each channel's min ≤ mean ≤ max",
                per_case(_min_mean_max_ordered),
            ),
            Property(
                "debug-stats-layout-free",
                "the same activations give the same statistics in either layout",
                _same_in_both_layouts,
            ),
        ),
        forbidden=("tensorflow", "keras"),
    )
)
