"""Exercise spec for lecture 7.7: one step of the simple RNN.

Weights are in the notes' orientation (W H×H, U H×I, V K×H) and the shapes
of most cases are not square (H ≠ I ≠ K), so a transposed U or V raises a
shape error; only the square W can be transposed silently, which is the
mistake registered below (one fixed case has H = I = K, where every
transposed weight is silent). The helpers here are shared by the other
recurrent spec modules (rnn_sequence, rnn_jacobian, lstm, gru).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from engine.compare import allclose, fields
from engine.reference import recurrent
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
    with_inputs,
)

STEP = allclose(rtol=1e-5, atol=1e-6)
SEQUENCE = allclose(rtol=1e-4, atol=1e-5)

# Fixed, non-symmetric weights with exact binary values for the hand-made cases.
W3 = [[0.5, -0.25, 0.0], [0.25, 0.5, -0.5], [0.0, 0.75, 0.25]]
U32 = [[1.0, -0.5], [0.5, 0.25], [-0.75, 1.0]]
V43 = [[1.0, 0.5, -1.0], [-0.5, 1.0, 0.25], [0.25, -0.25, 0.5], [0.0, 1.0, 1.0]]


def as_array(value: ArrayLike) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


def draw(rng: np.random.Generator, *shape: int, scale: float = 1.0) -> np.ndarray:
    return np.round(rng.normal(0.0, scale, size=shape), 3)


def as_arrays(cases: list[Case]) -> list[Case]:
    """The cases with every input as a float64 array, so that a submission
    always receives arrays (hand-written cases are typed as nested lists)."""
    return with_inputs(cases, as_array)


def has_ndim(name: str, ndim: int) -> Callable[[dict[str, Any]], bool]:
    """Whether a case's input `name` has `ndim` axes: a shape promise's
    `applies`, telling a batch from a single sample or sequence."""
    return lambda kwargs: np.ndim(kwargs[name]) == ndim


def _softmax(scores: np.ndarray, axis: int) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return exp / exp.sum(axis=axis, keepdims=True)


# ------------------------------------------------------------------ one step


def rnn_step_variant(
    x: ArrayLike,
    h_prev: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
    V: ArrayLike,  # noqa: N803
    *,
    batch_softmax: bool = False,
    logits: bool = False,
    w_transposed: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    recurrent_weight = as_array(W) if w_transposed else as_array(W).T
    h = np.tanh(as_array(h_prev) @ recurrent_weight + as_array(x) @ as_array(U).T)
    scores = h @ as_array(V).T
    if logits:
        return h, scores
    return h, _softmax(scores, axis=0 if batch_softmax else -1)


def _step_case(
    name: str, label: str, x: Any, h_prev: Any, weights: tuple[Any, Any, Any]
) -> Case:
    W, U, V = weights
    return Case(name, {"x": x, "h_prev": h_prev, "W": W, "U": U, "V": V}, label)


def random_weights(
    rng: np.random.Generator, hidden: int, inputs: int, classes: int
) -> dict[str, np.ndarray]:
    return {
        "W": draw(rng, hidden, hidden, scale=0.6),
        "U": draw(rng, hidden, inputs, scale=0.8),
        "V": draw(rng, classes, hidden),
    }


# (N, H, I, K) of the random cases: never square, a batch of one included.
_STEP_SHAPES = [(3, 3, 2, 4), (2, 4, 3, 2), (1, 2, 3, 3), (4, 3, 1, 2), (2, 4, 2, 3)]


def rnn_step_cases(seed: int) -> list[Case]:
    weights = (W3, U32, V43)
    cases = [
        _step_case(
            "exact batch",
            "convention: two samples as rows, exact binary inputs",
            [[1.0, 0.0], [0.0, -1.0]],
            [[0.5, 0.5, -0.5], [-0.25, 0.0, 1.0]],
            weights,
        ),
        _step_case(
            "square",
            "convention: H = I = K = 2, where a transposed weight raises no error",
            [[0.5, -0.5], [1.0, 0.25]],
            [[0.5, -0.25], [0.0, 0.75]],
            (
                [[0.5, 1.0], [-0.5, 0.25]],
                [[1.0, 0.5], [-0.25, 0.75]],
                [[1.0, -1.0], [0.5, 0.5]],
            ),
        ),
        _step_case(
            "one vector",
            "edge: a single sample as 1-D vectors x (I,) and h_prev (H,)",
            [0.5, -1.0],
            [0.25, -0.5, 0.75],
            weights,
        ),
        _step_case(
            "batch of one",
            "edge: a batch of one, x (1, I)",
            [[0.5, -1.0]],
            [[0.25, -0.5, 0.75]],
            weights,
        ),
        _step_case(
            "zero state",
            "edge: h_prev = 0 and x = 0 give h = 0 and a uniform o",
            np.zeros((2, 2)),
            np.zeros((2, 3)),
            weights,
        ),
    ]
    rng = np.random.default_rng(seed)
    for i, (n, hidden, inputs, classes) in enumerate([*_STEP_SHAPES, (3, 3, 2, 2)]):
        kwargs = {
            "x": draw(rng, n, inputs),
            "h_prev": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            **random_weights(rng, hidden, inputs, classes),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


def _distribution_problem(o: Any) -> str | None:
    probs = as_array(o)
    if not np.all((probs > 0) & (probs < 1)):
        return "an output probability is not in (0, 1)"
    sums = probs.sum(axis=-1)
    if not np.allclose(sums, 1.0, rtol=0.0, atol=1e-5):
        worst = float(sums.reshape(-1)[np.argmax(np.abs(sums - 1).reshape(-1))])
        return f"a row of o sums to {worst:.6g}, not 1"
    return None


def _hidden_problem(h: Any) -> str | None:
    states = as_array(h)
    if np.all(np.abs(states) < 1):
        return None
    return f"a hidden state holds {float(states.flat[np.argmax(np.abs(states))]):g}"


def outputs_law(kwargs: dict[str, Any], got: Any) -> str | None:
    return _distribution_problem(got[1])


def hidden_law(kwargs: dict[str, Any], got: Any) -> str | None:
    return _hidden_problem(got[0])


RNN_STATEMENT = (
    "W is H×H, U is H×I and V is K×H, in the notes' orientation (they act on column "
    "vectors). A batch of N vectors is given as the rows of an array: x is (N, I) and "
    "h_prev (N, H); W h_prev is therefore h_prev @ Wᵀ. There are no biases. "
)


def softmax_mistake(mistake_id: str, function: Any) -> Mistake:
    return Mistake(
        mistake_id,
        "Softmax taken over the batch",
        "Your softmax normalises each column of V h, that is across the samples of "
        "the batch. Each sample has its own distribution over the K classes: "
        "normalise every row (the last axis) so that it sums to 1.",
        function,
        point="Look at the axis your softmax sums over: along which axis of V h do "
        "the K classes of one sample lie?",
        fix="`scores = h @ V.T`, `e = np.exp(scores - scores.max(axis=-1, "
        "keepdims=True))`, `o = e / e.sum(axis=-1, keepdims=True)`.",
    )


def logits_mistake(mistake_id: str, function: Any) -> Mistake:
    return Mistake(
        mistake_id,
        "Scores returned instead of probabilities",
        "You returned V h, the raw scores (logits). The notes' output is "
        "o = softmax(V h): apply a softmax over the K classes of each row.",
        function,
        point="Look at what you return as o: is each row a probability "
        "distribution, with entries in (0, 1) summing to 1?",
        fix="Turn the scores into probabilities before returning: with "
        "`scores = h @ V.T`, `o = np.exp(scores - scores.max(axis=-1, keepdims=True))`"
        " and then `o = o / o.sum(axis=-1, keepdims=True)`.",
    )


def transposed_mistake(mistake_id: str, function: Any) -> Mistake:
    return Mistake(
        mistake_id,
        "Recurrent weight W transposed",
        "You computed h_prev @ W, which is Wᵀ h_prev in the notes' column form. W is "
        "square, so no shape error warns you (a transposed U raises one unless H = I, "
        "a transposed V unless H = K). "
        "With samples as rows the notes' W h_prev is h_prev @ Wᵀ.",
        function,
        point="Look at the recurrent term inside your tanh: the notes' W h_prev acts "
        "on a column vector; with samples as rows, does your product use W the same "
        "way?",
        fix="`h = np.tanh(h_prev @ W.T + x @ U.T)` (in an unroll, h_prev is the "
        "previous step's h).",
    )


_STEP_BATCH = (
    "a batch (x of shape (N, I), h_prev of shape (N, H)) gives h of shape (N, H) "
    "and o of shape (N, K)"
)
_STEP_SINGLE = (
    "a single sample (1-D x of shape (I,), h_prev of shape (H,)) gives h of shape "
    "(H,) and o of shape (K,)"
)

RNN_STEP = register(
    ExerciseSpec(
        id="rnn_step",
        title="One step of a simple RNN",
        topic="7.7",
        entry_point="rnn_step",
        signature="def rnn_step(x, h_prev, W, U, V) -> tuple[array, array]",
        statement=(
            "Compute one step of the notes' simple RNN, h = tanh(W h_prev + U x) and "
            "o = softmax(V h). "
            + RNN_STATEMENT
            + "x and h_prev may also be single 1-D vectors. Return the tuple (h, o), "
            "each row of o a probability distribution over the K classes: "
            + _STEP_BATCH
            + "; "
            + _STEP_SINGLE
            + "."
        ),
        reference=recurrent.rnn_step,
        make_cases=rnn_step_cases,
        compare=fields(("h", STEP), ("o", STEP)),
        shapes=(
            ShapePromise(
                _STEP_BATCH,
                has_ndim("x", 2),
                lambda kw: (
                    (len(kw["x"]), len(kw["W"])),
                    (len(kw["x"]), len(kw["V"])),
                ),
            ),
            ShapePromise(
                _STEP_SINGLE,
                has_ndim("x", 1),
                lambda kw: ((len(kw["W"]),), (len(kw["V"]),)),
            ),
        ),
        mistakes=(
            softmax_mistake(
                "rnn-softmax-over-batch", partial(rnn_step_variant, batch_softmax=True)
            ),
            logits_mistake("rnn-logits", partial(rnn_step_variant, logits=True)),
            transposed_mistake(
                "rnn-recurrent-weight-transposed",
                partial(rnn_step_variant, w_transposed=True),
            ),
        ),
        properties=(
            Property(
                "rnn-output-distribution",
                "each row of o lies in (0, 1) and sums to 1",
                per_case(outputs_law),
            ),
            Property("rnn-hidden-range", "h lies in (−1, 1)", per_case(hidden_law)),
        ),
        forbidden=("torch.nn.RNNCell", "torch.nn.RNN", "tensorflow", "keras"),
    )
)
