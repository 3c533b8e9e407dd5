"""Variants for lecture 7.8: an LSTM step by hand and the cell update (with error
carried forward), the parameter count, the product of forget gates, the cell
state carried over three steps.

Every answer comes from `engine.reference.recurrent`. Where a question gives a
gate's value rather than its weights (f = 0.8), the generator builds weights
that produce exactly that value (a bias of logit(f), or an input of logit(f) on
a weight of 1) and runs the engine's cell on them. Intermediate values the
engine does not return (pre-activations, gates) are computed here and checked
against the engine's result in the `holds` checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from engine.reference import recurrent
from exercises.variants import Variant, generator
from exercises.variants._common import (
    INPUTS,
    QUARTERS,
    WEIGHTS,
    count_holds_exact,
    logit,
    scalar,
    sigmoid,
    vector,
)


def _lstm_holds(variant: Variant) -> str | None:
    gates = np.concatenate([variant.answer[name] for name in ("f", "i", "o")])
    if np.any(np.abs(gates - 0.5) < 0.02):
        return "a gate sits at 1/2, where a sign slip would not show"
    return None


@generator(
    "lstm_step",
    guarantees=(
        "hidden size 2, one input: W_f, W_i, W_C, W_o are 2×3 with entries in {−1, −0.5, 0, 0.5, 1}",
        "biases and states are multiples of 0.25; no gate pre-activation is 0",
        "answers from the engine's LSTM cell (the notes' six equations on [h_prev, x])",
    ),
    holds=_lstm_holds,
)
def lstm_step(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    hidden = 2
    while True:
        weights = {
            gate: rng.choice(WEIGHTS, size=(hidden, hidden + 1)) for gate in "fico"
        }
        biases = {gate: rng.choice(QUARTERS, size=hidden) for gate in "fico"}
        h_prev = rng.choice(QUARTERS, size=hidden)
        c_prev = rng.choice(QUARTERS, size=hidden)
        x = rng.choice(INPUTS, size=1)
        joined = np.concatenate([h_prev, x])
        pre = {gate: weights[gate] @ joined + biases[gate] for gate in "fico"}
        if all(np.all(np.abs(value) > 0.1) for value in pre.values()):
            break
    stacked = np.concatenate([weights[g] for g in "fico"])  # the notes' f, i, C̃, o
    h, c = recurrent.lstm_cell(
        x, h_prev, c_prev, stacked, np.concatenate([biases[g] for g in "fico"])
    )
    answer = {
        "f": sigmoid(pre["f"]),
        "i": sigmoid(pre["i"]),
        "c_tilde": np.tanh(pre["c"]),
        "c": vector(c),
        "o": sigmoid(pre["o"]),
        "h": vector(h),
    }

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """C from the student's own f, i, C̃; h from their own o and C."""
        if part == "c" and {"f", "i", "c_tilde"} <= earlier.keys():
            return earlier["f"] * c_prev + earlier["i"] * earlier["c_tilde"]
        if part == "h" and {"o", "c"} <= earlier.keys():
            return earlier["o"] * np.tanh(earlier["c"])
        return None

    values = {
        "W_f": weights["f"], "W_i": weights["i"], "W_C": weights["c"], "W_o": weights["o"],
        "b_f": biases["f"], "b_i": biases["i"], "b_C": biases["c"], "b_o": biases["o"],
        "h_prev": h_prev, "C_prev": c_prev, "x": x, "joined": joined, "pre": pre, **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


def _one_unit_lstm(gates: dict[str, float], c_prev: float) -> tuple[float, float]:
    """The engine's cell for one unit whose gates are given: W = 0, and the
    biases are logit(f), logit(i), atanh(C̃), logit(o)."""
    bias = [
        logit(gates["f"]),
        logit(gates["i"]),
        float(np.arctanh(gates["c_tilde"])),
        logit(gates["o"]),
    ]
    h, c = recurrent.lstm_cell([0.0], [0.0], [c_prev], np.zeros((4, 2)), bias)
    return scalar(h), scalar(c)


def _cell_update_holds(variant: Variant) -> str | None:
    answer = variant.answer
    if abs(answer["kept"] + answer["written"] - answer["c"]) > 1e-12:
        return "kept + written is not the engine's C_t"
    if abs(answer["c"]) < 0.1:
        return "C_t is near 0"
    return None


@generator(
    "lstm_cell_update",
    guarantees=(
        "one unit; f, i, o in {0.1, …, 0.9} without 0.5, C̃ in {±0.2, …, ±0.8}, C_{t−1} a non-zero multiple of 0.25 up to ±1.5",
        "|C_t| ≥ 0.1",
        "C_t and h_t from the engine's lstm_cell with biases set to give those gates",
    ),
    holds=_cell_update_holds,
)
def lstm_cell_update(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    levels = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]
    candidates = [-0.8, -0.6, -0.4, -0.2, 0.2, 0.4, 0.6, 0.8]
    while True:
        gates = {name: float(rng.choice(levels)) for name in ("f", "i", "o")}
        gates["c_tilde"] = float(rng.choice(candidates))
        c_prev = float(rng.choice(np.arange(-1.5, 1.75, 0.25)))
        h, c = _one_unit_lstm(gates, c_prev)
        if c_prev != 0 and abs(c) >= 0.1:
            break
    kept, written = gates["f"] * c_prev, gates["i"] * gates["c_tilde"]
    answer = {"kept": kept, "written": written, "c": c, "h": h}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """C_t from the student's two terms; h_t from their C_t."""
        if part == "c" and {"kept", "written"} <= earlier.keys():
            return float(earlier["kept"]) + float(earlier["written"])
        if part == "h" and "c" in earlier:
            return gates["o"] * np.tanh(float(earlier["c"]))
        return None

    values = {**gates, "C_prev": c_prev, "tanh_c": float(np.tanh(c)), **answer}
    return Variant(values=values, answer=answer, follow=follow)


@generator(
    "lstm_parameter_count",
    guarantees=(
        "H in {16, 32, 64, 100, 128, 256}, I in {10, 20, 50, 100, 300}",
        "the count is the size of the W (4H×(H+I)) and b (4H) the engine's lstm_cell accepts",
        "every typical wrong count differs from the right one",
    ),
    holds=count_holds_exact,
)
def lstm_parameter_count(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    hidden = int(rng.choice([16, 32, 64, 100, 128, 256]))
    inputs = int(rng.choice([10, 20, 50, 100, 300]))
    w, b = np.zeros((4 * hidden, hidden + inputs)), np.zeros(4 * hidden)
    recurrent.lstm_cell(np.zeros(inputs), np.zeros(hidden), np.zeros(hidden), w, b)
    answer = w.size + b.size
    values = {
        "H": hidden, "I": inputs, "HI": hidden + inputs, "gate": hidden * (hidden + inputs),
        "answer": answer,
        "wrong_no_bias": 4 * hidden * (hidden + inputs),
        "wrong_one_gate": hidden * (hidden + inputs) + hidden,
        "wrong_two_biases": 4 * (hidden * (hidden + inputs) + 2 * hidden),
        "wrong_no_recurrence": 4 * (hidden * inputs + hidden),
    }  # fmt: skip
    return Variant(values=values, answer=answer)


def _forget_holds(variant: Variant) -> str | None:
    product = float(np.prod(variant.values["forget"]))
    if abs(product - variant.answer) > 1e-9:
        return "the engine's gradient is not the product of the forget gates"
    return None


@generator(
    "lstm_forget_product",
    guarantees=(
        "T in {3, 4, 5} steps of one LSTM unit whose gates depend on the input only",
        "forget gates drawn from {0.5, 0.6, 0.7, 0.8, 0.9, 0.95}, not all equal",
        "∂C_T/∂C_0 by autograd through the engine's lstm_sequence (it equals Π f_t)",
    ),
    holds=_forget_holds,
)
def lstm_forget_product(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    steps = int(rng.choice([3, 4, 5]))
    while True:
        forget = rng.choice([0.5, 0.6, 0.7, 0.8, 0.9, 0.95], size=steps)
        if len(set(forget)) > 1:
            break
    # x_t = logit(f_t) feeds the forget row only; the h columns are 0, so no gate
    # depends on h (nor, through it, on C_0).
    xs = torch.tensor([[logit(f)] for f in forget], dtype=torch.float64)
    w = torch.zeros((4, 2), dtype=torch.float64)
    w[0, 1] = 1.0
    bias = torch.tensor([0.0, 0.0, 0.5, 0.0], dtype=torch.float64)
    c0 = torch.tensor([0.5], dtype=torch.float64, requires_grad=True)
    _, c_final = recurrent.lstm_sequence(
        xs, torch.zeros(1, dtype=torch.float64), c0, w, bias
    )
    (gradient,) = torch.autograd.grad(c_final.sum(), c0)
    answer = float(gradient[0])
    values = {
        "T": steps, "forget": forget, "forget_text": ", ".join(f"{f:g}" for f in forget),
        "answer": answer, "wrong_sum": float(forget.sum()), "wrong_last": float(forget[-1]),
    }  # fmt: skip
    return Variant(values=values, answer=answer)


def _conveyor_holds(variant: Variant) -> str | None:
    values, cells = variant.values, [variant.answer[f"c{k}"] for k in (1, 2, 3)]
    previous = [values["C0"], *cells[:2]]
    for k in range(3):
        expected = values["f"][k] * previous[k] + values["i"][k] * values["g"][k]
        if abs(expected - cells[k]) > 1e-12:
            return f"C_{k + 1} is not f ⊙ C + i ⊙ C̃ of the given gates"
    return None


@generator(
    "lstm_cell_conveyor",
    guarantees=(
        "one unit over 3 steps; f_t, i_t in {0.1, …, 0.9} without 0.5, C̃_t in {±0.2, …, ±0.8}, C_0 a non-zero multiple of 0.5 up to ±2",
        "every C_t has |C_t| ≥ 0.1",
        "C_1, C_2, C_3 from the engine's lstm_sequence on the first 1, 2, 3 steps, with inputs set to give those gates",
    ),
    holds=_conveyor_holds,
)
def lstm_cell_conveyor(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    levels = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.8, 0.9]
    candidates = [-0.8, -0.6, -0.4, -0.2, 0.2, 0.4, 0.6, 0.8]
    # Input t is (logit f_t, logit i_t, atanh C̃_t): each feeds one gate row and
    # the state columns are 0, so the gates are exactly the drawn values.
    w = np.zeros((4, 4))
    w[0, 1], w[1, 2], w[2, 3] = 1.0, 1.0, 1.0
    while True:
        f, i = rng.choice(levels, size=3), rng.choice(levels, size=3)
        g = rng.choice(candidates, size=3)
        c0 = float(rng.choice([-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]))
        xs = np.stack([np.log(f / (1 - f)), np.log(i / (1 - i)), np.arctanh(g)], 1)
        cells = [
            scalar(recurrent.lstm_sequence(xs[:steps], [0.0], [c0], w, np.zeros(4))[1])
            for steps in (1, 2, 3)
        ]
        if min(abs(c) for c in cells) >= 0.1:
            break
    answer = {"c1": cells[0], "c2": cells[1], "c3": cells[2]}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """Each cell state from the student's previous one."""
        step = int(part[1])
        previous = f"c{step - 1}"
        if step > 1 and previous in earlier:
            k = step - 1
            return f[k] * float(earlier[previous]) + i[k] * g[k]
        return None

    values = {
        "C0": c0,
        "f": f,
        "i": i,
        "g": g,
        "f_product": float(np.prod(f)),
        **answer,
    }
    values |= {
        f"{name}{k + 1}": arr[k]
        for name, arr in (("f", f), ("i", i), ("g", g))
        for k in range(3)
    }
    return Variant(values=values, answer=answer, follow=follow)
