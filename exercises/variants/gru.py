"""Variants for lecture 7.9: a GRU step by hand (with error carried forward), the
interpolation between the old state and the candidate, the candidate with its
reset gate, the parameter count.

Every answer comes from `engine.reference.recurrent`. Where a question gives a
gate's value rather than its weights (z = 0.25, r = 0.6), the generator builds
weights that produce exactly that value (a weight of logit(z) or logit(r), and
one of atanh(h̃), on a constant input of 1) and runs the engine's cell on them.
Intermediate values the engine does not return (pre-activations, gates) are
computed here and checked against the engine's result in the `holds` checks.
"""

from __future__ import annotations

from typing import Any

import numpy as np

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

NONZERO_QUARTERS = QUARTERS[QUARTERS != 0]


def _gru_step_holds(variant: Variant) -> str | None:
    values, answer = variant.values, variant.answer
    blended = (1 - answer["z"]) * values["h_prev"] + answer["z"] * answer["h_tilde"]
    if not np.allclose(blended, answer["h"], atol=1e-12):
        return "the gates do not reproduce the engine's h"
    if np.any(np.abs(answer["z"] - 0.5) < 0.04):
        return "an update gate sits near 1/2, where z and 1 − z agree"
    if np.max(np.abs(values["swapped"] - answer["h"])) < 0.05:
        return "PyTorch's z convention would give (almost) the same h"
    return None


@generator(
    "gru_step",
    guarantees=(
        "hidden size 2, one input; W_z, W_r, W_h are 2×3 with entries in {−1, −0.5, 0, 0.5, 1}",
        "h_prev entries are non-zero multiples of 0.25, x in {±0.5, ±1}",
        "no gate pre-activation within 0.2 of 0 (no gate near 1/2)",
        "swapping z and 1 − z changes h by ≥ 0.05 in some unit",
        "h from the engine's gru_cell (the notes' convention: z weights the candidate)",
    ),
    holds=_gru_step_holds,
)
def gru_step(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        w_z, w_r, w_h = (rng.choice(WEIGHTS, size=(2, 3)) for _ in range(3))
        h_prev = rng.choice(NONZERO_QUARTERS, size=2)
        x = rng.choice(INPUTS, size=1)
        joined = np.concatenate([h_prev, x])
        pre_z, pre_r = w_z @ joined, w_r @ joined
        z, r = sigmoid(pre_z), sigmoid(pre_r)
        reset = np.concatenate([r * h_prev, x])
        h_tilde = np.tanh(w_h @ reset)
        swapped = z * h_prev + (1 - z) * h_tilde
        h = vector(recurrent.gru_cell(x, h_prev, w_z, w_r, w_h))
        if (
            np.all(np.abs(pre_z) >= 0.2)
            and np.all(np.abs(pre_r) >= 0.2)
            and np.max(np.abs(swapped - h)) >= 0.05
        ):
            break
    answer = {"z": z, "r": r, "h_tilde": h_tilde, "h": h}

    def follow(part: str, earlier: dict[str, Any]) -> Any:
        """h̃ from the student's r; h from their z and h̃."""
        if part == "h_tilde" and "r" in earlier:
            mine = vector(earlier["r"])
            if mine.size == 2:
                return np.tanh(w_h @ np.concatenate([mine * h_prev, x]))
        if part == "h" and {"z", "h_tilde"} <= earlier.keys():
            z_mine, candidate = vector(earlier["z"]), vector(earlier["h_tilde"])
            if z_mine.size == 2 and candidate.size == 2:
                return (1 - z_mine) * h_prev + z_mine * candidate
        return None

    values = {
        "W_z": w_z, "W_r": w_r, "W_h": w_h, "h_prev": h_prev, "x": float(x[0]),
        "joined": joined, "pre_z": pre_z, "pre_r": pre_r, "reset": reset,
        "swapped": swapped, **answer,
    }  # fmt: skip
    return Variant(values=values, answer=answer, follow=follow)


def _interpolation_holds(variant: Variant) -> str | None:
    if abs(variant.answer - variant.values["wrong_swapped"]) < 0.02:
        return "PyTorch's convention gives (almost) the same value"
    return None


@generator(
    "gru_interpolation",
    guarantees=(
        "one unit: z in {0.1, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.9}, h_{t−1} a non-zero multiple of 0.25, h̃ in {±0.2, …, ±0.8}",
        "|h_{t−1} − h̃| ≥ 0.25, so swapping z and 1 − z changes h_t by ≥ 0.05",
        "h_t from the engine's gru_cell with weights set to give that z and h̃",
    ),
    holds=_interpolation_holds,
)
def gru_interpolation(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    while True:
        z = float(rng.choice([0.1, 0.2, 0.25, 0.3, 0.7, 0.75, 0.8, 0.9]))
        h_prev = float(rng.choice(NONZERO_QUARTERS))
        candidate = float(rng.choice([-0.8, -0.6, -0.4, -0.2, 0.2, 0.4, 0.6, 0.8]))
        if abs(h_prev - candidate) >= 0.25:
            break
    # Input 1 with weights logit(z) and atanh(h̃) on it; the state columns are 0.
    h = recurrent.gru_cell(
        [1.0], [h_prev], [[0.0, logit(z)]], [[0.0, 0.0]],
        [[0.0, float(np.arctanh(candidate))]],
    )  # fmt: skip
    answer = scalar(h)
    values = {
        "z": z, "h_prev": h_prev, "h_tilde": candidate, "answer": answer,
        "wrong_swapped": z * h_prev + (1 - z) * candidate,
        "wrong_candidate_only": z * candidate,
    }  # fmt: skip
    return Variant(values=values, answer=answer)


@generator(
    "gru_parameter_count",
    guarantees=(
        "H in {16, 32, 64, 100, 128, 256}, I in {10, 20, 50, 100, 300}",
        "the count is the size of W_z, W_r, W_h (H×(H+I) each) as the engine's gru_cell accepts them",
        "every typical wrong count differs from the right one",
    ),
    holds=count_holds_exact,
)
def gru_parameter_count(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    hidden = int(rng.choice([16, 32, 64, 100, 128, 256]))
    inputs = int(rng.choice([10, 20, 50, 100, 300]))
    matrices = [np.zeros((hidden, hidden + inputs)) for _ in range(3)]
    recurrent.gru_cell(np.zeros(inputs), np.zeros(hidden), *matrices)
    answer = sum(matrix.size for matrix in matrices)
    values = {
        "H": hidden, "I": inputs, "HI": hidden + inputs, "gate": hidden * (hidden + inputs),
        "answer": answer,
        "wrong_lstm": 4 * hidden * (hidden + inputs),
        "wrong_biases": 3 * hidden * (hidden + inputs) + 3 * hidden,
        "wrong_square": 3 * hidden * hidden,
        "wrong_two": 2 * hidden * (hidden + inputs),
    }  # fmt: skip
    return Variant(values=values, answer=answer)


def _candidate_holds(variant: Variant) -> str | None:
    values = variant.values
    wrongs = (values["wrong_no_reset"], values["wrong_input_only"])
    if min(abs(variant.answer - wrong) for wrong in wrongs) < 0.02:
        return "r = 1 or r = 0 would give (almost) the same candidate"
    return None


@generator(
    "gru_candidate",
    guarantees=(
        "one unit: the candidate's weights a (on the state) and b (on the input) in {±0.5, ±1, ±1.5, ±2}",
        "r in {0.1, 0.2, 0.25, 0.3, 0.4, 0.6, 0.7, 0.75, 0.8, 0.9}, h_{t−1} a non-zero multiple of 0.25, x in {±0.5, ±1}",
        "taking r as 1 or as 0 changes h̃ by ≥ 0.02",
        "h̃ recovered from the engine's gru_cell run with z = 1/2: h̃ = 2 h_t − h_{t−1}",
    ),
    holds=_candidate_holds,
)
def gru_candidate(rng: np.random.Generator, params: dict[str, Any]) -> Variant:
    scales = [-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]
    while True:
        a, b = (float(rng.choice(scales)) for _ in range(2))
        r = float(rng.choice([0.1, 0.2, 0.25, 0.3, 0.4, 0.6, 0.7, 0.75, 0.8, 0.9]))
        h_prev, x = float(rng.choice(NONZERO_QUARTERS)), float(rng.choice(INPUTS))
        no_reset = float(np.tanh(a * h_prev + b * x))
        # Inputs (x, 1): W_z = 0 gives z = 1/2; W_r puts logit(r) on the constant.
        h = scalar(
            recurrent.gru_cell(
                [x, 1.0], [h_prev], [[0.0, 0.0, 0.0]], [[0.0, 0.0, logit(r)]],
                [[a, b, 0.0]],
            )
        )  # fmt: skip
        candidate = 2 * h - h_prev
        if min(abs(candidate - no_reset), abs(candidate - np.tanh(b * x))) >= 0.02:
            break
    values = {
        "a": a, "b": b, "r": r, "h_prev": h_prev, "x": x, "answer": candidate,
        "reset_state": r * h_prev, "pre": a * r * h_prev + b * x,
        "wrong_no_reset": no_reset, "wrong_input_only": float(np.tanh(b * x)),
    }  # fmt: skip
    return Variant(values=values, answer=candidate)
