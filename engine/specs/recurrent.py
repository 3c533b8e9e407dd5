"""Exercise specs for lecture 7.7: one step of the simple RNN and its unroll.

Weights are in the notes' orientation (W H×H, U H×I, V K×H) and the shapes
of most cases are not square (H ≠ I ≠ K), so a transposed U or V raises a
shape error; only the square W can be transposed silently, which is the
mistake registered below. The helpers here are shared by the other recurrent
spec modules (rnn_jacobian, lstm, gru).
"""

from __future__ import annotations

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


def _softmax(scores: np.ndarray, axis: int) -> np.ndarray:
    exp = np.exp(scores - scores.max(axis=axis, keepdims=True))
    return exp / exp.sum(axis=axis, keepdims=True)


# ------------------------------------------------------------------ one step


def _rnn_step_variant(
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


def _random_weights(
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
            "zero state",
            "edge: h_prev = 0 and x = 0 give h = 0 and a uniform o",
            np.zeros((2, 2)),
            np.zeros((2, 3)),
            weights,
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
            "exact batch",
            "convention: exact binary inputs, two samples as rows",
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
    ]
    rng = np.random.default_rng(seed)
    for i, (n, hidden, inputs, classes) in enumerate([*_STEP_SHAPES, (3, 3, 2, 2)]):
        kwargs = {
            "x": draw(rng, n, inputs),
            "h_prev": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            **_random_weights(rng, hidden, inputs, classes),
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


def _outputs_law(kwargs: dict[str, Any], got: Any) -> str | None:
    return _distribution_problem(got[1])


def _hidden_law(kwargs: dict[str, Any], got: Any) -> str | None:
    return _hidden_problem(got[0])


_RNN_STATEMENT = (
    "W is H×H, U is H×I and V is K×H, in the notes' orientation (they act on column "
    "vectors). A batch of N vectors is given as the rows of an array: x is (N, I) and "
    "h_prev (N, H); W h_prev is therefore h_prev @ Wᵀ. There are no biases. "
)


def _softmax_mistake(mistake_id: str, function: Any) -> Mistake:
    return Mistake(
        mistake_id,
        "Softmax taken over the batch",
        "Your softmax normalises each column of V h, that is across the samples of "
        "the batch. Each sample has its own distribution over the K classes: "
        "normalise every row (the last axis) so that it sums to 1.",
        function,
    )


def _logits_mistake(mistake_id: str, function: Any) -> Mistake:
    return Mistake(
        mistake_id,
        "Scores returned instead of probabilities",
        "You returned V h, the raw scores (logits). The notes' output is "
        "o = softmax(V h): apply a softmax over the K classes of each row.",
        function,
    )


def _transposed_mistake(mistake_id: str, function: Any) -> Mistake:
    return Mistake(
        mistake_id,
        "Recurrent weight W transposed",
        "You computed h_prev @ W, which is Wᵀ h_prev in the notes' column form. W is "
        "square, so no shape error warns you (a transposed U or V would fail here). "
        "With samples as rows the notes' W h_prev is h_prev @ Wᵀ.",
        function,
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
            + _RNN_STATEMENT
            + "x and h_prev may also be single 1-D vectors. Return the tuple (h, o): h of "
            "shape (N, H) and o of shape (N, K), each row of o a probability "
            "distribution over the K classes."
        ),
        reference=recurrent.rnn_step,
        make_cases=rnn_step_cases,
        compare=fields(("h", STEP), ("o", STEP)),
        mistakes=(
            _softmax_mistake(
                "rnn-softmax-over-batch", partial(_rnn_step_variant, batch_softmax=True)
            ),
            _logits_mistake("rnn-logits", partial(_rnn_step_variant, logits=True)),
            _transposed_mistake(
                "rnn-recurrent-weight-transposed",
                partial(_rnn_step_variant, w_transposed=True),
            ),
        ),
        properties=(
            Property(
                "rnn-output-distribution",
                "each row of o lies in (0, 1) and sums to 1",
                per_case(_outputs_law),
            ),
            Property("rnn-hidden-range", "h lies in (−1, 1)", per_case(_hidden_law)),
        ),
        forbidden=("torch.nn.RNNCell", "torch.nn.RNN", "tensorflow", "keras"),
    )
)

# ------------------------------------------------------------------ sequence


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
        h, o = _rnn_step_variant(x, h, W, U, V, **step_options)
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
        Case(
            "zero start", {"xs": xs, "h0": np.zeros((2, 3)), **weights}, "edge: h0 = 0"
        ),
        Case(
            "given start",
            {"xs": xs, "h0": h0, **weights},
            "convention: the unroll starts from the given h0, not from zeros",
        ),
    ]
    rng = np.random.default_rng(seed)
    shapes = [(4, 2, 3, 2, 4), (5, 3, 2, 3, 2), (3, 1, 4, 3, 3), (6, 2, 2, 1, 3)]
    for i, (steps, n, hidden, inputs, classes) in enumerate(shapes + shapes[:2]):
        kwargs = {
            "xs": draw(rng, steps, n, inputs),
            "h0": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            **_random_weights(rng, hidden, inputs, classes),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


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
            + _RNN_STATEMENT
            + "xs is time-first, (T, N, I), and h0 is (N, H); a single sequence comes as "
            "xs (T, I) and h0 (H,). Return the tuple (hs, os): hs of shape (T, N, H) "
            "holding h_1..h_T (not h0) and os of shape (T, N, K) holding o_1..o_T, "
            "each row a softmax over the K classes."
        ),
        reference=recurrent.rnn_sequence,
        make_cases=rnn_sequence_cases,
        compare=fields(("hs", SEQUENCE), ("os", SEQUENCE)),
        mistakes=(
            _softmax_mistake(
                "rnn-seq-softmax-over-batch",
                partial(_rnn_sequence_variant, batch_softmax=True),
            ),
            _logits_mistake(
                "rnn-seq-logits", partial(_rnn_sequence_variant, logits=True)
            ),
            _transposed_mistake(
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
            ),
        ),
        properties=(
            Property(
                "rnn-seq-output-distribution",
                "every o_t row lies in (0, 1) and sums to 1",
                per_case(_outputs_law),
            ),
            Property(
                "rnn-seq-hidden-range",
                "every h_t lies in (−1, 1)",
                per_case(_hidden_law),
            ),
        ),
        forbidden=("torch.nn.RNNCell", "torch.nn.RNN", "tensorflow", "keras"),
    )
)
