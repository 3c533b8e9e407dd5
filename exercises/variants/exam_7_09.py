"""Exam-level variants for lecture 7.9 (GRU): the largest hidden size a parameter
budget allows for a GRU and for an LSTM; the candidate with the reset applied
before the matrix (the notes) and after it (PyTorch's GRUCell); two steps of a
GRU unit and the derivative of its state through both.

Every key comes from `engine.reference.recurrent` or from torch itself
(`torch.nn.GRUCell` for PyTorch's candidate), through torch autograd where a
derivative is asked for. Where a question gives a gate's value rather than its
weights, the generator feeds the gate's logit on a weight of 1 and runs the
engine's cell on it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np
import torch

from engine.reference import recurrent
from exercises.variants import Variant, generator
from exercises.variants._common import (
    INPUTS,
    QUARTERS,
    WEIGHTS,
    bounded_draw,
    logit,
    scalar,
    shaped,
    vector,
)

NONZERO_QUARTERS = QUARTERS[QUARTERS != 0]


# ------------------------------------------------ hidden size under a budget


@lru_cache(maxsize=512)
def _gru_count(hidden: int, inputs: int) -> int:
    """Weights of the notes' GRU layer (no biases): the sizes of the three
    H×(H+I) matrices the engine's gru_cell accepts."""
    matrices = [np.zeros((hidden, hidden + inputs)) for _ in range(3)]
    recurrent.gru_cell(np.zeros(inputs), np.zeros(hidden), *matrices)
    return sum(matrix.size for matrix in matrices)


@lru_cache(maxsize=512)
def _lstm_count(hidden: int, inputs: int) -> int:
    """Parameters of the notes' LSTM layer: the W (4H×(H+I)) and b (4H) the
    engine's lstm_cell accepts."""
    w, b = np.zeros((4 * hidden, hidden + inputs)), np.zeros(4 * hidden)
    recurrent.lstm_cell(np.zeros(inputs), np.zeros(hidden), np.zeros(hidden), w, b)
    return w.size + b.size


def _largest(count: Any, inputs: int, budget: int, blocks: int) -> int:
    """The largest H whose count fits the budget: a start from the quadratic,
    then settled on the engine's own counts."""
    hidden = max(1, int((-inputs + np.sqrt(inputs**2 + 4 * budget / blocks)) / 2))
    while count(hidden, inputs) > budget:
        hidden -= 1
    while count(hidden + 1, inputs) <= budget:
        hidden += 1
    return hidden


def _budget_holds(variant: Variant) -> str | None:
    v, a = variant.values, variant.answer
    inputs, budget = v["I"], v["P"]
    for name, count in (("H_gru", _gru_count), ("H_lstm", _lstm_count)):
        hidden = int(a[name])
        if count(hidden, inputs) > budget or count(hidden + 1, inputs) <= budget:
            return f"{name} is not the largest hidden size within the budget"
    if a["H_gru"] - a["H_lstm"] < 2:
        return "the two hidden sizes are too close to tell the layers apart"
    return None


@generator(
    "gru_exam_budget",
    guarantees=(
        "a budget P in {60 000, 100 000, 150 000, 250 000, 400 000, 1 000 000}, input size I in {20, 40, 64, 100, 128, 300}",
        "the largest H with 3H(H+I) ≤ P (GRU) and with 4(H(H+I) + H) ≤ P (LSTM), settled on the engine's shapes",
        "the two hidden sizes differ by ≥ 2",
    ),
    holds=_budget_holds,
)
def gru_exam_budget(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    def draw(source: np.random.Generator) -> dict[str, Any] | None:
        budget = int(
            source.choice([60_000, 100_000, 150_000, 250_000, 400_000, 1_000_000])
        )
        inputs = int(source.choice([20, 40, 64, 100, 128, 300]))
        h_gru = _largest(_gru_count, inputs, budget, 3)
        h_lstm = _largest(_lstm_count, inputs, budget, 4)
        if h_gru - h_lstm < 2:
            return None
        return {"P": budget, "I": inputs, "H_gru": h_gru, "H_lstm": h_lstm}

    d = bounded_draw(rng, draw)
    inputs = d["I"]
    answer = {
        "H_gru": float(d["H_gru"]),
        "count_gru": float(_gru_count(d["H_gru"], inputs)),
        "H_lstm": float(d["H_lstm"]),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """The GRU's count from the student's own H."""
        if part == "count_gru" and "H_gru" in earlier:
            hidden = float(earlier["H_gru"])
            return 3 * hidden * (hidden + inputs)
        return None

    values = {
        **d, **answer, "P_text": f"{d['P']:,}".replace(",", r"\,"),
        "H_gru_int": d["H_gru"], "H_lstm_int": d["H_lstm"],
        "count_int": int(answer["count_gru"]),
        "count_next": _gru_count(d["H_gru"] + 1, inputs),
        "lstm_count": _lstm_count(d["H_lstm"], inputs),
        "lstm_next": _lstm_count(d["H_lstm"] + 1, inputs),
        "ratio": d["H_gru"] / d["H_lstm"],
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------- reset before the matrix, or after it


def _notes_cell(
    h_prev: np.ndarray, x: float, z: np.ndarray, r: np.ndarray, w_hh: np.ndarray,
    w_hx: np.ndarray,
) -> np.ndarray:  # fmt: skip
    """The engine's GRU step on the input (x, 1): the gates put logit(z_k) and
    logit(r_k) on the constant 1 (they read nothing else); W_h = [W_hh | w_hx | 0]."""
    w_z = np.column_stack([np.zeros((2, 3)), [logit(v) for v in z]])
    w_r = np.column_stack([np.zeros((2, 3)), [logit(v) for v in r]])
    w_h = np.column_stack([w_hh, w_hx, np.zeros(2)])
    return vector(recurrent.gru_cell([x, 1.0], h_prev, w_z, w_r, w_h))


def _torch_candidate(
    h_prev: np.ndarray, x: float, r: np.ndarray, w_hh: np.ndarray, w_hx: np.ndarray
) -> np.ndarray:
    """n of torch.nn.GRUCell (no biases), reset after the matrix. Its z is
    made 1/2 (zero weights), so h' = (n + h)/2 and n = 2h' − h."""
    cell = torch.nn.GRUCell(2, 2, bias=False, dtype=torch.float64)
    weight_ih = torch.zeros((6, 2), dtype=torch.float64)  # rows r, z, n; input (x, 1)
    weight_ih[0:2, 1] = torch.tensor([logit(v) for v in r], dtype=torch.float64)
    weight_ih[4:6, 0] = torch.tensor(w_hx, dtype=torch.float64)
    weight_hh = torch.zeros((6, 2), dtype=torch.float64)
    weight_hh[4:6] = torch.tensor(w_hh, dtype=torch.float64)
    with torch.no_grad():
        cell.weight_ih.copy_(weight_ih)
        cell.weight_hh.copy_(weight_hh)
        out = cell(
            torch.tensor([[x, 1.0]], dtype=torch.float64),
            torch.tensor(h_prev[None, :], dtype=torch.float64),
        )
    return 2 * out.numpy()[0] - h_prev


RESETS = np.array([0.1, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.9])
UPDATES = np.array([0.2, 0.25, 0.3, 0.6, 0.7, 0.75, 0.8])


def _reset_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    w_hh = rng.choice(WEIGHTS, size=(2, 2))
    w_hx = rng.choice(INPUTS, size=2)
    h_prev = rng.choice(NONZERO_QUARTERS, size=2)
    x = float(rng.choice(INPUTS))
    r = rng.choice(RESETS, size=2)
    z = rng.choice(UPDATES, size=2)
    if abs(r[0] - r[1]) < 0.3 or w_hh[0, 1] == 0 or w_hh[1, 0] == 0:
        return None
    candidate = 2 * _notes_cell(h_prev, x, np.full(2, 0.5), r, w_hh, w_hx) - h_prev
    n = _torch_candidate(h_prev, x, r, w_hh, w_hx)
    h = _notes_cell(h_prev, x, z, r, w_hh, w_hx)
    pre = w_hh @ (r * h_prev) + w_hx * x
    no_reset = np.tanh(w_hh @ h_prev + w_hx * x)
    if (
        np.any(np.abs(pre) < 0.1)
        or not np.all(np.abs(candidate - n) >= 0.03)
        or np.max(np.abs(candidate - no_reset)) < 0.05
    ):
        return None
    return {"W_hh": w_hh, "w_hx": w_hx, "h_prev": h_prev, "x": x, "r": r, "z": z,
            "h_tilde": candidate, "n": n, "h": h, "pre": pre}  # fmt: skip


def _reset_holds(variant: Variant) -> str | None:
    v, a = variant.values, variant.answer
    before = np.tanh(v["W_hh"] @ (v["r"] * v["h_prev"]) + v["w_hx"] * v["x"])
    after = np.tanh(v["r"] * (v["W_hh"] @ v["h_prev"]) + v["w_hx"] * v["x"])
    if not np.allclose(before, a["h_tilde"], atol=1e-10):
        return "the engine's candidate is not the reset-before form"
    if not np.allclose(after, a["n"], atol=1e-10):
        return "GRUCell's candidate is not the reset-after form"
    if not np.all(np.abs(a["h_tilde"] - a["n"]) >= 0.03):
        return "the two candidates (almost) agree in a unit"
    return None


@generator(
    "gru_exam_reset_placement",
    guarantees=(
        "2 units, one input; W_hh entries in {−1, −0.5, 0, 0.5, 1} with non-zero off-diagonal, w_hx and x in {±0.5, ±1}",
        "h_{t−1} non-zero multiples of 0.25; r_1, r_2 from {0.1, …, 0.9} at least 0.3 apart; z from {0.2, …, 0.8}",
        "the two candidates differ by ≥ 0.03 in every unit; no pre-activation within 0.1 of 0",
        "h̃ and h from the engine's gru_cell (reset before the matrix); n from torch.nn.GRUCell (reset after)",
    ),
    holds=_reset_holds,
)
def gru_exam_reset_placement(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    d = bounded_draw(rng, _reset_draw)
    h_prev, z = d["h_prev"], d["z"]
    answer = {"h_tilde": d["h_tilde"], "n": d["n"], "h": d["h"]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h from the student's own h̃."""
        if part == "h" and "h_tilde" in earlier:
            mine = shaped(earlier["h_tilde"], (2,))
            return None if mine is None else (1 - z) * h_prev + z * mine
        return None

    values = {
        **d, "W_h": np.column_stack([d["W_hh"], d["w_hx"]]),
        "reset_state": d["r"] * h_prev, "Wh": d["W_hh"] @ h_prev,
        "pre_after": d["r"] * (d["W_hh"] @ h_prev) + d["w_hx"] * d["x"], **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


# ------------------------------------- two GRU steps and the gradient through them

LEVELS = np.array([0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9])
SCALES = np.array([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0])


def _gru_two_steps(
    a: float, b: float, z: np.ndarray, r: np.ndarray, h0: float, xs: np.ndarray
) -> dict[str, float]:
    """Two steps of the engine's GRU cell, one unit. Input t is
    (x_t, logit z_t, logit r_t): the gates read only their own entry (weight 1),
    the candidate reads a·(r ⊙ h) + b·x. Derivatives by autograd."""
    w_z = [[0.0, 0.0, 1.0, 0.0]]
    w_r = [[0.0, 0.0, 0.0, 1.0]]
    w_h = [[a, b, 0.0, 0.0]]
    inputs = [np.array([xs[t], logit(z[t]), logit(r[t])]) for t in range(2)]
    h0_leaf = torch.tensor([h0], dtype=torch.float64, requires_grad=True)
    h1 = recurrent.gru_cell(inputs[0], h0_leaf, w_z, w_r, w_h)
    h2 = recurrent.gru_cell(inputs[1], h1, w_z, w_r, w_h)
    d21, d20 = torch.autograd.grad(h2[0], [h1, h0_leaf])
    return {"h1": float(h1.detach()[0]), "h2": float(h2.detach()[0]),
            "d21": scalar(d21), "d20": scalar(d20)}  # fmt: skip


def _step_derivative(
    a: float, b: float, z: float, r: float, h: float, x: float
) -> float:
    """∂h_t/∂h_{t−1} of one unit whose gates read only the input."""
    candidate = np.tanh(a * r * h + b * x)
    return float((1 - z) + z * (1 - candidate**2) * a * r)


def _gradient_draw(rng: np.random.Generator) -> dict[str, Any] | None:
    a, b = (float(rng.choice(SCALES)) for _ in range(2))
    z, r = rng.choice(LEVELS, size=2), rng.choice(LEVELS, size=2)
    h0 = float(rng.choice(NONZERO_QUARTERS))
    xs = rng.choice(INPUTS, size=2)
    result = _gru_two_steps(a, b, z, r, h0, xs)
    h1 = result["h1"]
    pre = np.array([a * r[0] * h0 + b * xs[0], a * r[1] * h1 + b * xs[1]])
    copy_only = 1 - z[1]
    swapped = z[1] + (1 - z[1]) * (1 - np.tanh(pre[1]) ** 2) * a * r[1]
    d21 = result["d21"]
    if (
        np.any(np.abs(pre) < 0.2)
        or abs(h1) < 0.1
        or abs(result["h2"] - h1) < 0.05
        or abs(d21 - copy_only) < 0.05
        or abs(d21 - swapped) < 0.05
        or abs(result["d20"]) < 0.02
    ):
        return None
    return {"a": a, "b": b, "z": z, "r": r, "h0": h0, "xs": xs, "pre": pre,
            "copy_only": copy_only, "swapped": float(swapped), **result}  # fmt: skip


def _gradient_holds(variant: Variant) -> str | None:
    v, ans = variant.values, variant.answer
    a, b, z, r, xs = v["a"], v["b"], v["z"], v["r"], v["xs"]
    d21 = _step_derivative(a, b, z[1], r[1], ans["h1"], xs[1])
    d10 = _step_derivative(a, b, z[0], r[0], v["h0"], xs[0])
    if abs(d21 - ans["d21"]) > 1e-10 or abs(d21 * d10 - ans["d20"]) > 1e-10:
        return "autograd's derivatives are not (1 − z) + z (1 − h̃²) a r, chained"
    if abs(ans["d21"] - v["copy_only"]) < 0.05:
        return "the copy path alone gives (almost) the same derivative"
    return None


@generator(
    "gru_exam_two_step_gradient",
    guarantees=(
        "one unit, one input; the gates read only the input, given as values z_t, r_t in {0.1, …, 0.9} without 0.5",
        "the candidate's weights a (on r·h) and b (on x) in {±0.5, ±1, ±1.5, ±2}; h_0 a non-zero multiple of 0.25; x_t in {±0.5, ±1}",
        "no candidate pre-activation within 0.2 of 0; |h_1| ≥ 0.1; h_2 differs from h_1 by ≥ 0.05",
        "∂h_2/∂h_1 differs by ≥ 0.05 from the copy path alone (1 − z_2) and from PyTorch's z convention",
        "h_1, h_2 from the engine's gru_cell; both derivatives by torch autograd through it",
    ),
    holds=_gradient_holds,
)
def gru_exam_two_step_gradient(
    rng: np.random.Generator, params: dict[str, Any]
) -> Variant:
    d = bounded_draw(rng, _gradient_draw)
    a, b, z, r, h0, xs = d["a"], d["b"], d["z"], d["r"], d["h0"], d["xs"]
    answer = {"h1": d["h1"], "h2": d["h2"], "d21": d["d21"], "d20": d["d20"]}
    d10 = _step_derivative(a, b, z[0], r[0], h0, xs[0])

    def step(h: float, t: int) -> float:
        candidate = np.tanh(a * r[t] * h + b * xs[t])
        return float((1 - z[t]) * h + z[t] * candidate)

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h_2 and ∂h_2/∂h_1 from the student's h_1; ∂h_2/∂h_0 from their
        ∂h_2/∂h_1."""
        if part == "h2" and "h1" in earlier:
            return step(float(earlier["h1"]), 1)
        if part == "d21" and "h1" in earlier:
            return _step_derivative(a, b, z[1], r[1], float(earlier["h1"]), xs[1])
        if part == "d20" and "d21" in earlier:
            return float(earlier["d21"]) * d10
        return None

    values = {
        **d, "z1": z[0], "z2": z[1], "r1": r[0], "r2": r[1],
        "x1": float(xs[0]), "x2": float(xs[1]),
        "pre1": d["pre"][0], "pre2": d["pre"][1],
        "cand1": float(np.tanh(d["pre"][0])), "cand2": float(np.tanh(d["pre"][1])),
        "d10": d10, **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)
