"""Exercise spec for lecture 7.7: the simple RNN unrolled over a sequence.

The step, its mistakes and its laws are those of `rnn_step` (engine.specs.
recurrent); here they run over time-first sequences from a given h0.
"""

from __future__ import annotations

from functools import partial

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
from engine.specs.recurrent import (
    RNN_STATEMENT,
    SEQUENCE,
    U32,
    V43,
    W3,
    as_array,
    as_arrays,
    draw,
    has_ndim,
    hidden_law,
    logits_mistake,
    outputs_law,
    random_weights,
    rnn_step_variant,
    softmax_mistake,
    transposed_mistake,
)


def _rnn_sequence_variant(
    xs: ArrayLike,
    h0: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
    V: ArrayLike,  # noqa: N803
    *,
    zero_start: bool = False,
    **step_options: bool,
) -> tuple[np.ndarray, np.ndarray]:
    h = np.zeros_like(as_array(h0)) if zero_start else as_array(h0)
    hs, outputs = [], []
    for x in as_array(xs):
        h, o = rnn_step_variant(x, h, W, U, V, **step_options)
        hs.append(h)
        outputs.append(o)
    return np.stack(hs), np.stack(outputs)


def rnn_sequence_cases(seed: int) -> list[Case]:
    weights = {"W": W3, "U": U32, "V": V43}
    xs = [
        [[0.5, -1.0], [1.0, 0.5]],
        [[0.0, 0.25], [-0.5, 1.0]],
        [[1.0, 1.0], [0.0, -0.5]],
    ]
    h0 = [[0.25, -0.5, 0.75], [0.5, 0.0, -0.25]]
    cases = [
        Case(
            "given start",
            {"xs": xs, "h0": h0, **weights},
            "convention: a batch of two over T = 3 steps, from the given h0 "
            "(not from zeros)",
        ),
        Case(
            "zero start", {"xs": xs, "h0": np.zeros((2, 3)), **weights}, "edge: h0 = 0"
        ),
        Case(
            "one step",
            {"xs": xs[:1], "h0": h0, **weights},
            "edge: T = 1, a single step",
        ),
        Case(
            "one sequence",
            {"xs": [row[0] for row in xs], "h0": h0[0], **weights},
            "edge: one sequence without a batch axis, xs (T, I) and h0 (H,)",
        ),
        Case(
            "batch of one",
            {"xs": [row[:1] for row in xs], "h0": h0[:1], **weights},
            "edge: a batch of one, xs (T, 1, I)",
        ),
    ]
    rng = np.random.default_rng(seed)
    shapes = [(4, 2, 3, 2, 4), (5, 3, 2, 3, 2), (3, 1, 4, 3, 3), (6, 2, 2, 1, 3)]
    for i, (steps, n, hidden, inputs, classes) in enumerate(shapes + shapes[:2]):
        kwargs = {
            "xs": draw(rng, steps, n, inputs),
            "h0": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            **random_weights(rng, hidden, inputs, classes),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


_BATCH = (
    "a batch (xs of shape (T, N, I), h0 of shape (N, H)) gives hs of shape "
    "(T, N, H) and os of shape (T, N, K)"
)
_SINGLE = (
    "a single sequence (xs of shape (T, I), h0 of shape (H,)) gives hs of shape "
    "(T, H) and os of shape (T, K)"
)

RNN_SEQUENCE = register(
    ExerciseSpec(
        id="rnn_sequence",
        title="A simple RNN over a sequence",
        topic="7.7",
        entry_point="rnn_sequence",
        signature="def rnn_sequence(xs, h0, W, U, V) -> tuple[array, array]",
        statement=(
            "Unroll the notes' simple RNN h_t = tanh(W h_{t−1} + U x_t), "
            "o_t = softmax(V h_t) for t = 1..T with the same W, U, V at every step, "
            "starting from the given h0. "
            + RNN_STATEMENT
            + "xs is time-first, (T, N, I), and h0 is (N, H); a single sequence comes as "
            "xs (T, I) and h0 (H,). Return the tuple (hs, os): hs holds h_1..h_T "
            "(not h0) and os holds o_1..o_T, each row a softmax over the K classes; "
            + _BATCH
            + "; "
            + _SINGLE
            + "."
        ),
        reference=recurrent.rnn_sequence,
        make_cases=rnn_sequence_cases,
        compare=fields(("hs", SEQUENCE), ("os", SEQUENCE)),
        shapes=(
            ShapePromise(
                _BATCH,
                has_ndim("xs", 3),
                lambda kw: (
                    (*np.shape(kw["xs"])[:2], len(kw["W"])),
                    (*np.shape(kw["xs"])[:2], len(kw["V"])),
                ),
            ),
            ShapePromise(
                _SINGLE,
                has_ndim("xs", 2),
                lambda kw: (
                    (len(kw["xs"]), len(kw["W"])),
                    (len(kw["xs"]), len(kw["V"])),
                ),
            ),
        ),
        mistakes=(
            softmax_mistake(
                "rnn-seq-softmax-over-batch",
                partial(_rnn_sequence_variant, batch_softmax=True),
            ),
            logits_mistake(
                "rnn-seq-logits", partial(_rnn_sequence_variant, logits=True)
            ),
            transposed_mistake(
                "rnn-seq-recurrent-weight-transposed",
                partial(_rnn_sequence_variant, w_transposed=True),
            ),
            Mistake(
                "rnn-seq-zero-initial-state",
                "h0 ignored: the unroll starts from zeros",
                "Your first step used h_0 = 0 instead of the h0 you were given. The "
                "initial state is an input: a sequence may continue where another "
                "one stopped.",
                partial(_rnn_sequence_variant, zero_start=True),
                point="Look at how your loop starts: which value does the state have "
                "before the first step, and where did it come from?",
                fix="`h = h0` before the loop (not `np.zeros_like(h0)`), then "
                "`h = np.tanh(h @ W.T + x @ U.T)` for each `x in xs`.",
            ),
        ),
        properties=(
            Property(
                "rnn-seq-output-distribution",
                "every o_t row lies in (0, 1) and sums to 1",
                per_case(outputs_law),
            ),
            Property(
                "rnn-seq-hidden-range",
                "every h_t lies in (−1, 1)",
                per_case(hidden_law),
            ),
        ),
        forbidden=("torch.nn.RNNCell", "torch.nn.RNN", "tensorflow", "keras"),
    )
)
