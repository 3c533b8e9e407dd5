"""Exercise spec for lecture 7.8: the LSTM unrolled over a sequence.

One step is the cell of engine.specs.lstm (the notes' six equations, gates
stacked [f; i; C̃; o] acting on [h, x]); its mistakes are registered here
again for the unroll, with one of the sequence's own (C not carried).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from engine.compare import fields
from engine.reference import recurrent
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)
from engine.specs.lstm import (
    B_FIXED,
    B_GATES,
    LSTM_STATEMENT,
    W_FIXED,
    hidden_law,
    lstm_cell_variant,
    lstm_mistakes,
    random_lstm,
)
from engine.specs.recurrent import SEQUENCE, as_array, as_arrays, draw, has_ndim


def _lstm_sequence_variant(
    xs: ArrayLike,
    h0: ArrayLike,
    C0: ArrayLike,  # noqa: N803
    W: ArrayLike,  # noqa: N803
    b: ArrayLike,
    *,
    carry_cell: bool = True,
    **cell_options: Any,
) -> tuple[np.ndarray, np.ndarray]:
    h, C, hs = as_array(h0), as_array(C0), []
    for x in as_array(xs):
        h, C_next = lstm_cell_variant(
            x, h, C if carry_cell else C0, W, b, **cell_options
        )
        C = C_next
        hs.append(h)
    return np.stack(hs), C


def lstm_sequence_cases(seed: int) -> list[Case]:
    xs = [[[0.5, -1.0, 0.25]], [[1.0, 0.0, -1.0]], [[-0.5, 0.5, 0.75]]]
    start = {"h0": [[0.25, -0.5]], "C0": [[1.0, -0.5]]}
    fixed = {"W": W_FIXED, "b": B_FIXED}
    pairs = [[s[0], [-s[0][2], s[0][0], 0.5]] for s in xs]  # two samples per step
    cases = [
        Case(
            "batch of two",
            {
                "xs": pairs,
                "h0": [[0.25, -0.5], [0.5, 0.5]],
                "C0": [[1.0, -0.5], [-2.0, 0.5]],
                **fixed,
            },
            "convention: two samples as rows over T = 3 steps, from the given h0 "
            "and C0",
        ),
        Case("one step", {"xs": xs[:1], **start, **fixed}, "edge: T = 1"),
        Case(
            "one sequence",
            {"xs": [s[0] for s in xs], "h0": [0.25, -0.5], "C0": [1.0, -0.5], **fixed},
            "edge: one sequence without a batch axis, xs (T, I), h0 and C0 (H,)",
        ),
        Case("batch of one", {"xs": xs, **start, **fixed}, "edge: xs (T, 1, I)"),
        Case(
            "zero start",
            {"xs": xs, "h0": np.zeros((1, 2)), "C0": np.zeros((1, 2)), **fixed},
            "edge: h0 = C0 = 0",
        ),
        Case(
            "biases only",
            {"xs": xs, **start, "W": np.zeros((8, 5)), "b": B_GATES},
            "convention: W = 0, constant gates f = σ(2), i = σ(−2), C̃ = tanh(1)",
        ),
    ]
    rng = np.random.default_rng(seed)
    shapes = [(4, 2, 3, 2), (5, 3, 2, 3), (3, 1, 4, 1), (6, 2, 2, 2), (5, 2, 4, 3)]
    for i, (steps, n, hidden, inputs) in enumerate([*shapes, (4, 3, 3, 2)]):
        kwargs = {
            "xs": draw(rng, steps, n, inputs),
            "h0": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            "C0": draw(rng, n, hidden),
            **random_lstm(rng, hidden, inputs),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


_SEQUENCE_BATCH = (
    "a batch (xs of shape (T, N, I), h0 and C0 of shape (N, H)) gives hs of shape "
    "(T, N, H) and C_T of shape (N, H)"
)
_SEQUENCE_SINGLE = (
    "a single sequence (xs of shape (T, I), h0 and C0 of shape (H,)) gives hs of "
    "shape (T, H) and C_T of shape (H,)"
)

LSTM_SEQUENCE = register(
    ExerciseSpec(
        id="lstm_sequence",
        title="An LSTM over a sequence",
        topic="7.8",
        entry_point="lstm_sequence",
        signature="def lstm_sequence(xs, h0, C0, W, b) -> tuple[array, array]",
        statement=(
            "Unroll the notes' LSTM over a sequence, with the same W and b at every "
            "step, starting from the given h0 and C0. "
            + LSTM_STATEMENT
            + "xs is time-first, (T, N, I); h0 and C0 are (N, H). A single sequence "
            "comes as xs (T, I) with h0 and C0 of shape (H,). Return the tuple "
            "(hs, C_T): hs holds h_1..h_T (not h0) and C_T is the final cell state; "
            + _SEQUENCE_BATCH
            + "; "
            + _SEQUENCE_SINGLE
            + "."
        ),
        reference=recurrent.lstm_sequence,
        make_cases=lstm_sequence_cases,
        compare=fields(("hs", SEQUENCE), ("C_T", SEQUENCE)),
        shapes=(
            ShapePromise(
                _SEQUENCE_BATCH,
                has_ndim("xs", 3),
                lambda kw: ((len(kw["xs"]), *np.shape(kw["h0"])), np.shape(kw["h0"])),
            ),
            ShapePromise(
                _SEQUENCE_SINGLE,
                has_ndim("xs", 2),
                lambda kw: ((len(kw["xs"]), *np.shape(kw["h0"])), np.shape(kw["h0"])),
            ),
        ),
        mistakes=(
            *lstm_mistakes("lstm-seq", _lstm_sequence_variant),
            Mistake(
                "lstm-seq-cell-not-carried",
                "Cell state not carried from step to step",
                "Every step started again from C0: the new C was computed but not fed "
                "to the next step. Carry both states, h and C, through the loop.",
                partial(_lstm_sequence_variant, carry_cell=False),
                point="Look at the cell state each step of your loop receives: is it "
                "the one the previous step produced?",
                fix="`h, C = h0, C0` before the loop; in it, `h, C = step(x, h, C)` "
                "(your one-step code), so each step gets the C the last one returned.",
            ),
        ),
        properties=(
            Property(
                "lstm-seq-hidden-range",
                "every h_t lies in (−1, 1)",
                per_case(hidden_law),
            ),
        ),
        forbidden=("torch.nn.LSTMCell", "torch.nn.LSTM", "tensorflow", "keras"),
    )
)
