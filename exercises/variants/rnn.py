"""Variants for lecture 7.7: an RNN step by hand (with error carried forward), the
softmax output, the unrolled scalar RNN and its Jacobian, the gradient at rest,
weight counts.

Every answer comes from `engine.reference.recurrent`. Intermediate values the
engine does not return (pre-activations, scores) are computed here and checked
against the engine's result in the `holds` checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.reference import recurrent
from exercises.variants import Variant, generator
from exercises.variants._common import INPUTS, QUARTERS, WEIGHTS, scalar, vector


def _softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - np.max(scores))
    return exp / exp.sum()


def _rnn_step_holds(variant: Variant) -> str | None:
    values = variant.values
    if not np.allclose(np.tanh(values["a"]), variant.answer["h"], atol=1e-12):
        return "the pre-activation does not give the engine's h"
    if np.any(np.abs(values["a"]) < 0.25):
        return "a pre-activation is near 0, where tanh(a) ≈ a hides a missing tanh"
    scores = np.sort(values["s"])
    if np.any(np.diff(scores) < 0.05):
        return "two scores (almost) tie"
    return None


@generator(
    "rnn_step_by_hand",
    guarantees=(
        "H = 2, one input, K = 3 classes; W, V entries in {−1, −0.5, 0, 0.5, 1}",
        "h_prev in multiples of 0.25, x in {±0.5, ±1}, U entries in {±0.5, ±1}",
        "every pre-activation has |a| ≥ 0.25; the three scores differ by ≥ 0.05",
        "h and o from the engine's rnn_step (no biases, softmax over the classes)",
    ),
    holds=_rnn_step_holds,
)
def rnn_step_by_hand(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        w = rng.choice(WEIGHTS, size=(2, 2))
        u = rng.choice(INPUTS, size=(2, 1))
        v = rng.choice(WEIGHTS, size=(3, 2))
        h_prev = rng.choice(QUARTERS, size=2)
        x = rng.choice(INPUTS, size=1)
        a = w @ h_prev + u @ x
        if np.all(np.abs(a) >= 0.25) and np.all(np.abs(a) <= 2):
            h, o = (vector(t) for t in recurrent.rnn_step(x, h_prev, w, u, v))
            if np.all(np.diff(np.sort(v @ h)) >= 0.05):
                break
    s = v @ h
    answer = {"a": a, "h": h, "s": s, "o": o}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h from the student's a, s from their h, o from their s."""
        before = {"h": "a", "s": "h", "o": "s"}.get(part)
        if before is None or before not in earlier:
            return None
        mine = vector(earlier[before])
        if part == "h":
            return np.tanh(mine)
        if part == "s":
            return v @ mine if mine.size == 2 else None
        return _softmax(mine)

    values = {"W": w, "U": u, "V": v, "h_prev": h_prev, "x": float(x[0]), **answer}
    return Variant(values=values, answer=answer, follow=follow)


def _output_holds(variant: Variant) -> str | None:
    if abs(float(np.sum(variant.answer)) - 1) > 1e-9:
        return "o does not sum to 1"
    if np.any(np.diff(np.sort(variant.values["s"])) < 0.25):
        return "two scores tie"
    return None


@generator(
    "rnn_output_softmax",
    guarantees=(
        "h_t has 2 entries in {±0.25, ±0.5, ±0.75}; V is 3×2 with integer entries in [−3, 3]",
        "the three scores V h_t are distinct multiples of 0.25, spread at most 3",
        "o_t from the engine's rnn_step, fed a state whose tanh is exactly h_t",
    ),
    holds=_output_holds,
)
def rnn_output_softmax(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    states = np.array([-0.75, -0.5, -0.25, 0.25, 0.5, 0.75])
    while True:
        h = rng.choice(states, size=2)
        v = rng.integers(-3, 4, size=(3, 2)).astype(float)
        s = v @ h
        ordered = np.sort(s)
        if np.all(np.diff(ordered) >= 0.25) and ordered[-1] - ordered[0] <= 3:
            break
    # W = 0 and U = I: the engine's step computes h = tanh(atanh(h)) = h, then o.
    _, o = recurrent.rnn_step(
        np.arctanh(h), np.zeros(2), np.zeros((2, 2)), np.eye(2), v
    )
    exp = np.exp(s)
    values = {
        "h": h,
        "V": v,
        "s": s,
        "exp_s": exp,
        "exp_sum": float(exp.sum()),
        "o": vector(o),
        "exp_text": " ".join(f"{e:.4f}" for e in exp),
        "argmax_text": " ".join("1" if i == np.argmax(s) else "0" for i in range(3)),
    }
    return Variant(values=values, answer=vector(o))


def _scalar_states(
    w: float, u: float, h0: float, xs: np.ndarray
) -> tuple[np.ndarray, float]:
    states = vector(recurrent.rnn_hidden_states(xs[:, None], [h0], [[w]], [[u]]))
    jacobian, _ = recurrent.rnn_jacobian(xs[:, None], [h0], [[w]], [[u]])
    return states, scalar(jacobian)


def _early(w: float, states: np.ndarray) -> float:
    """The notes' slip: each factor's tanh derivative taken one step early."""
    return float(np.prod(w * (1 - states[:-1] ** 2)))


def _separated(right: float, *wrongs: float, rel: float = 0.05) -> bool:
    return all(abs(wrong - right) > rel * abs(right) + 0.005 for wrong in wrongs)


def _unroll_holds(variant: Variant) -> str | None:
    states = variant.values["states"]
    w = variant.values["w"]
    if not _separated(variant.answer["d"], _early(w, states), w**2):
        return "the derivative is too close to a typical wrong answer"
    if np.any(np.abs(variant.values["pre"]) < 0.2):
        return "a pre-activation is near 0"
    return None


@generator(
    "rnn_scalar_unroll",
    guarantees=(
        "a scalar RNN, w in {±0.5, ±1, 1.5}, u in {±0.5, ±1}, h0 a multiple of 0.25, three inputs in {±0.5, ±1}",
        "every pre-activation has 0.2 ≤ |a| ≤ 2.5",
        "∂h_3/∂h_1 differs by > 5% from the notes' early-derivative version and from w²",
        "states and the derivative from the engine's rnn_hidden_states and rnn_jacobian",
    ),
    holds=_unroll_holds,
)
def rnn_scalar_unroll(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        w = float(rng.choice([-1.0, -0.5, 0.5, 1.0, 1.5]))
        u = float(rng.choice(INPUTS))
        h0 = float(rng.choice(QUARTERS))
        xs = rng.choice(INPUTS, size=3)
        states, d = _scalar_states(w, u, h0, xs)
        pre = w * np.concatenate([[h0], states[:-1]]) + u * xs
        if (
            np.all(np.abs(pre) >= 0.2)
            and np.all(np.abs(pre) <= 2.5)
            and _separated(d, _early(w, states), w**2)
        ):
            break
    answer = {"h1": states[0], "h2": states[1], "h3": states[2], "d": d}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Each state from the student's previous one; d from their h2 and h3."""
        if part in ("h2", "h3"):
            previous = f"h{int(part[1]) - 1}"
            if previous in earlier:
                return np.tanh(w * float(earlier[previous]) + u * xs[int(part[1]) - 1])
        if part == "d" and {"h2", "h3"} <= earlier.keys():
            return (
                w**2 * (1 - float(earlier["h2"]) ** 2) * (1 - float(earlier["h3"]) ** 2)
            )
        return None

    values = {
        "w": w, "u": u, "h0": h0, "x1": xs[0], "x2": xs[1], "x3": xs[2],
        "states": states, "pre": pre, **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


def _jacobian_holds(variant: Variant) -> str | None:
    values = variant.values
    if not _separated(variant.answer, values["early"], values["no_tanh"]):
        return "the answer is too close to a typical wrong answer"
    return None


@generator(
    "rnn_jacobian_scalar",
    guarantees=(
        "a scalar RNN over 4 steps with w in {±0.75, ±1.25, ±1.5}, inputs in {±0.5, ±1}",
        "the answer differs by > 5% from the notes' early-derivative product and from w³",
        "the states and ∂h_4/∂h_1 from the engine's rnn_hidden_states and rnn_jacobian",
    ),
    holds=_jacobian_holds,
)
def rnn_jacobian_scalar(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        w = float(rng.choice([-1.5, -1.25, -0.75, 0.75, 1.25, 1.5]))
        u = float(rng.choice(INPUTS))
        h0 = float(rng.choice(QUARTERS))
        xs = rng.choice(INPUTS, size=4)
        states, d = _scalar_states(w, u, h0, xs)
        if _separated(d, _early(w, states), w**3) and np.all(np.abs(states) > 0.1):
            break
    values = {
        "w": w, "u": u, "h0": h0, "states": states,
        "factors": w * (1 - states[1:] ** 2),
        "early": _early(w, states), "no_tanh": w**3, "answer": d,
        **{f"h{k + 1}": state for k, state in enumerate(states)},
    }  # fmt: skip
    return Variant(values=values, answer=d)


def _at_rest_holds(variant: Variant) -> str | None:
    w, steps = variant.values["w"], variant.values["T"]
    if abs(variant.answer - w ** (steps - 1)) > 1e-9 * max(1.0, abs(variant.answer)):
        return "the engine's Jacobian at rest is not w^(T−1)"
    return None


@generator(
    "rnn_gradient_at_rest",
    guarantees=(
        "a scalar RNN resting at h = 0 (h0 = 0, inputs 0), so every tanh derivative is 1",
        "w in {0.5, 0.8, 0.9, 1.1, 1.2, 1.5}, T in {10, 15, 20, 25}",
        "∂h_T/∂h_1 from the engine's rnn_jacobian (it equals w^(T−1))",
    ),
    holds=_at_rest_holds,
)
def rnn_gradient_at_rest(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    w = float(rng.choice([0.5, 0.8, 0.9, 1.1, 1.2, 1.5]))
    steps = int(rng.choice([10, 15, 20, 25]))
    jacobian, _ = recurrent.rnn_jacobian(np.zeros((steps, 1)), [0.0], [[w]], [[1.0]])
    answer = scalar(jacobian)
    values: dict[str, Any] = {"w": w, "T": steps, "answer": answer, "w_T": w**steps}
    values["trend"] = "vanishes" if w < 1 else "explodes"
    return Variant(values=values, answer=answer)


def _count_holds(variant: Variant) -> str | None:
    parts = [variant.answer[name] for name in ("W", "U", "V")]
    if variant.answer["total"] != sum(parts) or min(parts) <= 0:
        return "the counts do not add up"
    return None


@generator(
    "rnn_weight_counts",
    guarantees=(
        "H in {32, 64, 100, 128, 256}, F in {50, 100, 200, 300}, |V| in {1000, 5000, 10000}",
        "the counts are the sizes of W (H×H), U (H×F), V (|V|×H) as the engine's rnn_step accepts them",
    ),
    holds=_count_holds,
)
def rnn_weight_counts(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    hidden = int(rng.choice([32, 64, 100, 128, 256]))
    features = int(rng.choice([50, 100, 200, 300]))
    vocabulary = int(rng.choice([1000, 5000, 10000]))
    w, u = np.zeros((hidden, hidden)), np.zeros((hidden, features))
    v = np.zeros((vocabulary, hidden))
    recurrent.rnn_step(np.zeros(features), np.zeros(hidden), w, u, v)  # shapes agree
    answer = {"W": w.size, "U": u.size, "V": v.size, "total": w.size + u.size + v.size}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The total of the student's own three counts."""
        if part == "total" and {"W", "U", "V"} <= earlier.keys():
            return sum(float(earlier[name]) for name in ("W", "U", "V"))
        return None

    values = {"H": hidden, "F": features, "K": vocabulary, **answer}
    return Variant(values=values, answer=answer, follow=follow)
