"""Exam-level variants for lecture 6.4: a Dense layer traced from its weights
to its verdicts (pre-activations, per-unit minimum and maximum, dead and
all-negative units), and the gradient that reaches an all-negative unit
through a ReLU and through a Leaky ReLU.

Pre-activations come from torch's `F.linear`, statistics and labels from
`engine.reference.debugging`, gradients from torch autograd; error is carried
forward from the student's earlier parts.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812 - the usual name

from engine.reference import debugging
from exercises.variants import Variant, generator
from exercises.variants._common import bounded_draw, parts_follow, shaped

TAU = 0.01  # as in the notes' printout: ±0.003 is dead next to ranges of ±2


def _t(values: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(values, dtype=float), dtype=torch.float64)


# ------------------------------------------------ from weights to verdicts


def _unit(source: np.random.Generator, kind: str) -> tuple[list[float], float]:
    """Weights (2 inputs) and bias of one unit meant to come out as `kind`."""
    if kind == debugging.DEAD:
        return [0.0, 0.0], float(source.choice([-0.004, -0.002, 0.0, 0.002, 0.005]))
    if kind == debugging.ALL_NEGATIVE:
        weights = [float(v) for v in source.choice([-0.5, 0.0, 0.5], size=2)]
        return weights, float(source.choice([-4.0, -3.5, -3.0]))
    weights = [float(v) for v in source.choice([-2.0, -1.0, 1.0, 2.0], size=2)]
    return weights, float(source.choice([-0.5, 0.0, 0.5]))


def _layer(source: np.random.Generator) -> dict[str, Any] | None:
    kinds = [debugging.DEAD, debugging.ALL_NEGATIVE, debugging.HEALTHY]
    order = [kinds[int(i)] for i in source.permutation(3)]
    units = [_unit(source, kind) for kind in order]
    weights = np.array([w for w, _ in units])
    bias = np.array([b for _, b in units])
    inputs = source.choice([-2.0, -1.0, 0.0, 1.0, 2.0], size=(4, 2))
    pre = F.linear(_t(inputs), _t(weights), _t(bias)).numpy()
    low, high, _ = debugging.channel_stats(pre, "channels_last")
    labels = debugging.classify_channels(pre, "channels_last", TAU)
    if labels != order:
        return None
    # Every statistic at least 10τ from a threshold, except the dead unit's
    # (which sits within τ of 0 by construction).
    for unit, kind in enumerate(order):
        if kind == debugging.ALL_NEGATIVE and high[unit] > -10 * TAU:
            return None
        if kind == debugging.HEALTHY and not (low[unit] < -0.5 and high[unit] > 0.5):
            return None
    return {
        "W": weights,
        "b": bias,
        "X": inputs,
        "pre": pre,
        "low": low,
        "high": high,
        "order": order,
    }


def _groups(labels: list[str]) -> dict[str, list[str]]:
    return {
        "dead": [str(u) for u, label in enumerate(labels) if label == debugging.DEAD],
        "all_negative": [
            str(u) for u, label in enumerate(labels) if label == debugging.ALL_NEGATIVE
        ],
    }


def _dense_holds(variant: Variant) -> str | None:
    values = variant.values
    if not (values["dead"] and values["all_negative"] and values["healthy"]):
        return "a label is missing: one dead, one all-negative, one healthy unit"
    return None


@generator(
    "exam_dense_trace",
    guarantees=(
        "a Dense layer, 2 inputs → 3 units: one dead (zero weights, |bias| ≤ 0.005), one all-negative (weights ±0.5 or 0, bias −3 to −4), one healthy, shuffled",
        "a batch of 4 inputs with entries in {−2, −1, 0, 1, 2}",
        "pre-activations by torch's F.linear; minima, maxima and labels from the engine's channel_stats and classify_channels with τ = 0.01",
        "the healthy unit spans below −0.5 and above 0.5; the all-negative unit's maximum is below −0.1",
        "error carried forward: statistics from the student's pre-activations, labels from the student's statistics",
    ),
    holds=_dense_holds,
)
def exam_dense_trace(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    setting = bounded_draw(rng, _layer)
    pre, low, high = setting["pre"], setting["low"], setting["high"]
    groups = _groups(setting["order"])
    answer = {
        "pre": pre,
        "stats": np.vstack([low, high]),
        "all_negative": groups["all_negative"],
        "dead": groups["dead"],
    }

    def stats(earlier: dict[str, Any]) -> Any:
        mine = shaped(earlier["pre"], (4, 3))
        if mine is None:
            return None
        lows, highs, _ = debugging.channel_stats(mine, "channels_last")
        return np.vstack([lows, highs])

    def labelled(group: str) -> Any:
        def label(earlier: dict[str, Any]) -> Any:
            mine = shaped(earlier["stats"], (2, 3))
            if mine is None:
                return None
            labels = [debugging.classify(lo, hi, TAU) for lo, hi in mine.T]
            return _groups(labels)[group]

        return label

    follow = parts_follow(
        {
            "stats": ({"pre"}, stats),
            "all_negative": ({"stats"}, labelled("all_negative")),
            "dead": ({"stats"}, labelled("dead")),
        }
    )
    values = {
        **setting,
        "tau": TAU,
        "healthy": [
            str(u)
            for u, kind in enumerate(setting["order"])
            if kind == debugging.HEALTHY
        ],
        **groups,
    }
    return Variant(values, answer, follow)


# ----------------------------------------- gradient through ReLU and Leaky ReLU


def _blocked_unit(source: np.random.Generator) -> dict[str, Any] | None:
    weights = source.choice([-1.0, -0.5, 0.5, 1.0], size=2)
    bias = float(source.choice([-3.0, -2.5, -2.0]))
    inputs = source.choice([-1.0, 0.0, 1.0, 2.0], size=(3, 2))
    upstream = source.choice([-1.0, -0.5, 0.5, 1.0, 1.5], size=3)
    pre = inputs @ weights + bias
    if np.any(pre > -0.25):
        return None  # every pre-activation clearly negative: the unit is blocked
    if abs(float(upstream.sum())) < 0.5 or not np.any(inputs):
        return None  # a gradient that does not vanish by cancellation
    return {"w": weights, "b": bias, "X": inputs, "g": upstream, "z": pre}


@generator(
    "exam_leaky_revival",
    guarantees=(
        "one unit with 2 weights in ±0.5, ±1 and bias −3 … −2; 3 inputs with entries in {−1, 0, 1, 2}; every pre-activation ≤ −0.25 (an all-negative unit)",
        "upstream gradients ∂L/∂a in {−1, −0.5, 0.5, 1, 1.5} whose sum is at least 0.5 in size; Leaky ReLU slope 0.1 (or 0.01, 0.2); learning rate 0.5 or 1",
        "every gradient by torch autograd through F.relu and F.leaky_relu",
        "error carried forward: the new bias from the student's Leaky-ReLU gradient",
    ),
    holds=lambda v: (
        None
        if v.answer["relu_b"] == 0 and abs(v.answer["leaky_b"]) > 1e-3
        else "the ReLU gradient is not zero, or the leaky one vanishes"
    ),
)
def exam_leaky_revival(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    setting = bounded_draw(rng, _blocked_unit)
    slope = float(rng.choice([0.01, 0.1, 0.2]))
    rate = float(rng.choice([0.5, 1.0]))
    grads = {}
    for name, activation in (
        ("relu", F.relu),
        ("leaky", lambda z: F.leaky_relu(z, negative_slope=slope)),
    ):
        w = _t(setting["w"]).requires_grad_(True)
        b = torch.tensor(setting["b"], dtype=torch.float64, requires_grad=True)
        out = activation(_t(setting["X"]) @ w + b)
        # L depends on the activations with the given upstream gradients ∂L/∂a.
        loss = (out * _t(setting["g"])).sum()
        grad_w, grad_b = torch.autograd.grad(loss, (w, b))
        grads[name] = (grad_w.numpy(), float(grad_b))
    new_bias = setting["b"] - rate * grads["leaky"][1]
    answer = {
        "relu_b": grads["relu"][1],
        "leaky_b": grads["leaky"][1],
        # Round-off where the exact entry is 0 (terms that cancel) set to 0.
        "leaky_w": np.where(np.abs(grads["leaky"][0]) < 1e-12, 0.0, grads["leaky"][0]),
        "new_b": new_bias,
    }
    follow = parts_follow(
        {"new_b": ({"leaky_b"}, lambda e: setting["b"] - rate * float(e["leaky_b"]))}
    )
    values = {
        **setting,
        "slope": slope,
        "rate": rate,
        "g_sum": float(setting["g"].sum()),
        "rows": [
            {
                "n": i + 1,
                "x": setting["X"][i],
                "z": setting["z"][i],
                "g": setting["g"][i],
            }
            for i in range(3)
        ],
        "raises": new_bias > setting["b"],
        **answer,
    }
    return Variant(values, answer, follow)
