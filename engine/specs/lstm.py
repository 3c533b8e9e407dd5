"""Exercise spec for lecture 7.8: one LSTM cell (its unroll is in lstm_sequence).

The notes' gates act on [h_{t−1}, x_t] (h first). The exercise stacks the
four gate matrices in the notes' order, W = [W_f; W_i; W_C; W_o] of shape
(4H, H+I), with one bias b = [b_f; b_i; b_C; b_o] of shape (4H,).
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
from engine.specs.recurrent import (
    STEP,
    as_array,
    as_arrays,
    draw,
    has_ndim,
)

NOTES_ORDER = ("f", "i", "g", "o")
PYTORCH_ORDER = ("i", "f", "g", "o")


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def lstm_cell_variant(
    x: ArrayLike,
    h_prev: ArrayLike,
    C_prev: ArrayLike,  # noqa: N803
    W: ArrayLike,  # noqa: N803
    b: ArrayLike,
    *,
    order: tuple[str, ...] = NOTES_ORDER,
    input_first: bool = False,
    tanh_on_cell: bool = True,
    input_gate: bool = True,
    swap_outputs: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    x_, h_ = as_array(x), as_array(h_prev)
    joined = np.concatenate([x_, h_] if input_first else [h_, x_], axis=-1)
    blocks = np.split(joined @ as_array(W).T + as_array(b), 4, axis=-1)
    gate = dict(zip(order, blocks, strict=True))
    written = np.tanh(gate["g"])
    if input_gate:
        written = _sigmoid(gate["i"]) * written
    C = _sigmoid(gate["f"]) * as_array(C_prev) + written
    h = _sigmoid(gate["o"]) * (np.tanh(C) if tanh_on_cell else C)
    return (C, h) if swap_outputs else (h, C)


def random_lstm(
    rng: np.random.Generator, hidden: int, inputs: int
) -> dict[str, np.ndarray]:
    return {
        "W": draw(rng, 4 * hidden, hidden + inputs, scale=0.6),
        "b": draw(rng, 4 * hidden, scale=0.5),
    }


# A fixed cell with H = 2, I = 3: exact binary weights, every gate different.
W_FIXED = np.array(
    [
        [0.5, -0.25, 1.0, 0.0, -0.5],  # f
        [0.25, 0.5, -0.5, 0.75, 0.0],
        [-0.5, 0.0, 0.25, 1.0, 0.5],  # i
        [1.0, 0.25, 0.0, -0.25, 0.5],
        [0.0, -0.75, 0.5, 0.5, 1.0],  # C̃
        [0.75, 0.5, -1.0, 0.0, 0.25],
        [-0.25, 1.0, 0.0, 0.5, -0.75],  # o
        [0.5, 0.0, 0.75, -0.5, 0.25],
    ]
)
B_FIXED = np.array([1.0, 0.5, -0.5, 0.0, 0.25, -0.25, 0.0, 0.5])
# H = 1 and I = 3: W is square (4×4), so [h, x] @ W (W transposed) runs silently.
W_SQUARE = np.array(
    [
        [0.5, -0.25, 1.0, 0.0],  # f
        [1.0, 0.5, -0.5, 0.25],  # i
        [-0.5, 0.75, 0.25, 1.0],  # C̃
        [0.25, 0.0, -0.75, 0.5],  # o
    ]
)
B_SQUARE = np.array([0.5, -0.25, 0.0, 0.25])
# W = 0 and one bias value per gate: f = σ(2), i = σ(−2), C̃ = tanh(1), o = σ(0).
B_GATES = np.repeat([2.0, -2.0, 1.0, 0.0], 2)


def lstm_cell_cases(seed: int) -> list[Case]:
    x, h, c = [0.5, -1.0, 0.25], [0.25, -0.5], [1.0, -0.5]
    fixed = {"W": W_FIXED, "b": B_FIXED}
    zero = {"W": np.zeros((8, 5)), "b": np.zeros(8)}

    def case(name: str, label: str, x: Any, h: Any, c: Any, weights: Any) -> Case:
        return Case(name, {"x": x, "h_prev": h, "C_prev": c, **weights}, label)

    cases = [
        case(
            "exact batch",
            "convention: two samples as rows, exact binary inputs",
            [x, [1.0, 0.0, -1.0]],
            [h, [0.5, 0.5]],
            [c, [-2.0, 0.5]],
            fixed,
        ),
        case(
            "square W",
            "convention: H = 1 and I = 3, so W is square (4×4) and using it "
            "transposed raises no error",
            [x, [1.0, 0.0, -1.0]],
            [[0.5], [-0.25]],
            [[1.0], [-0.5]],
            {"W": W_SQUARE, "b": B_SQUARE},
        ),
        case("one vector", "edge: a single sample as 1-D vectors", x, h, c, fixed),
        case("batch of one", "edge: a batch of one, x (1, I)", [x], [h], [c], fixed),
        case(
            "zero weights",
            "edge: W = 0 and b = 0: every gate is 1/2 and C̃ = 0, so C = C_prev/2",
            [x, [1.0, 0.0, -1.0]],
            [h, [0.5, 0.5]],
            [c, [-2.0, 0.5]],
            zero,
        ),
        case(
            "biases only",
            "convention: W = 0, so f = σ(2), i = σ(−2), C̃ = tanh(1), o = σ(0) = 1/2",
            [x, [1.0, 0.0, -1.0]],
            [h, [0.5, 0.5]],
            [c, [-2.0, 0.5]],
            {"W": np.zeros((8, 5)), "b": B_GATES},
        ),
        case(
            "first step",
            "convention: h_prev = C_prev = 0, the first step of a sequence",
            [x, [1.0, 0.0, -1.0]],
            np.zeros((2, 2)),
            np.zeros((2, 2)),
            fixed,
        ),
    ]
    rng = np.random.default_rng(seed)
    # 7 fixed cases and 15 random ones: 22 in all, the last 7 hidden.
    shapes = [
        (3, 2, 3), (2, 4, 1), (1, 3, 2), (4, 2, 2), (2, 3, 3),
        (3, 4, 2), (1, 2, 1), (2, 2, 4), (4, 3, 1), (3, 3, 3),
        (2, 4, 3), (1, 4, 4), (3, 2, 2), (4, 4, 2), (2, 1, 3),
    ]  # fmt: skip
    for i, (n, hidden, inputs) in enumerate(shapes):
        kwargs = {
            "x": draw(rng, n, inputs),
            "h_prev": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            "C_prev": draw(rng, n, hidden),
            **random_lstm(rng, hidden, inputs),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 8))
    return as_arrays(cases)


def hidden_law(kwargs: dict[str, Any], got: Any) -> str | None:
    states = as_array(got[0])
    if np.all(np.abs(states) < 1):
        return None
    return f"a hidden state holds {float(states.flat[np.argmax(np.abs(states))]):g}"


def _cell_growth_law(kwargs: dict[str, Any], got: Any) -> str | None:
    growth = np.abs(as_array(got[1])) - np.abs(as_array(kwargs["C_prev"]))
    if np.all(growth <= 1 + 1e-6):
        return None
    return f"|C| exceeds |C_prev| + 1 by {float(growth.max() - 1):.3g}"


LSTM_STATEMENT = (
    "Gates act on the concatenation [h_prev, x], h first. W of shape (4H, H+I) stacks "
    "the notes' W_f, W_i, W_C, W_o in that order (rows 0..H−1 are W_f, H..2H−1 are W_i, "
    "then W_C, then W_o) and b of shape (4H,) stacks b_f, b_i, b_C, b_o the same way: "
    "f = σ(W_f [h, x] + b_f), i = σ(W_i [h, x] + b_i), C̃ = tanh(W_C [h, x] + b_C), "
    "o = σ(W_o [h, x] + b_o), C = f ⊙ C_prev + i ⊙ C̃, h = o ⊙ tanh(C). "
    "A batch of N vectors is given as the rows of an array, so W_f [h, x] is "
    "[h, x] @ W_fᵀ. "
)


def lstm_mistakes(prefix: str, variant: Any) -> tuple[Mistake, ...]:
    return (
        Mistake(
            f"{prefix}-pytorch-gate-order",
            "Gates read in PyTorch's order (i, f, g, o)",
            "You sliced the stacked W as PyTorch's LSTMCell does, input gate first. "
            "Here the blocks follow the notes: forget gate f first, then the input "
            "gate i, the candidate C̃, the output gate o.",
            partial(variant, order=PYTORCH_ORDER),
            point="Look at how you split the stacked pre-activations into four "
            "blocks: which gate do the first H rows of W belong to?",
            fix="`a_f, a_i, a_C, a_o = np.split(np.concatenate([h_prev, x], axis=-1) "
            "@ W.T + b, 4, axis=-1)`: f first, not PyTorch's i, f, g, o.",
        ),
        Mistake(
            f"{prefix}-input-first-concat",
            "Concatenated [x, h] instead of [h, x]",
            "The notes' gates act on [h_{t−1}, x_t]: the first H columns of W multiply "
            "h_prev and the last I columns multiply x. With [x, h] every weight meets "
            "the wrong input, and no shape error tells you.",
            partial(variant, input_first=True),
            point="Look at the concatenation that feeds the gates: which vector comes "
            "first, and which columns of W should multiply it?",
            fix="`hx = np.concatenate([h_prev, x], axis=-1)` (state first), not "
            "`[x, h_prev]`; then `hx @ W.T + b`.",
        ),
        Mistake(
            f"{prefix}-no-tanh-on-cell",
            "h = o ⊙ C, without the tanh",
            "The hidden state squashes the cell state before gating it: "
            "h = o ⊙ tanh(C). Without the tanh, h can leave (−1, 1).",
            partial(variant, tanh_on_cell=False),
            point="Look at the line that computes h from the output gate and the new "
            "cell state: what happens to C before it is gated?",
            fix="`h = o * np.tanh(C)`, not `h = o * C`, where o = σ of the output "
            "gate's block (the last H rows of W).",
        ),
        Mistake(
            f"{prefix}-no-input-gate",
            "Candidate added without the input gate",
            "The cell update is C = f ⊙ C_prev + i ⊙ C̃: the input gate i decides how "
            "much of the candidate C̃ is written. You added C̃ in full.",
            partial(variant, input_gate=False),
            point="Look at your cell update: does every term added to C pass through "
            "a gate?",
            fix="`C = f * C_prev + i * C_tilde`, not `f * C_prev + C_tilde`, where "
            "i = σ of the input gate's block (rows H to 2H − 1 of W).",
        ),
    )


_CELL_BATCH = (
    "a batch (x of shape (N, I), h_prev and C_prev of shape (N, H)) gives h and C "
    "both of shape (N, H)"
)
_CELL_SINGLE = (
    "a single sample (1-D x of shape (I,), h_prev and C_prev of shape (H,)) gives h "
    "and C both of shape (H,)"
)

LSTM_CELL = register(
    ExerciseSpec(
        id="lstm_cell",
        title="One step of an LSTM",
        topic="7.8",
        entry_point="lstm_cell",
        signature="def lstm_cell(x, h_prev, C_prev, W, b) -> tuple[array, array]",
        statement=(
            "Compute one LSTM step with the notes' six equations. "
            + LSTM_STATEMENT
            + "x is (N, I), h_prev and C_prev are (N, H); all three may also be 1-D "
            "for a single sample. Return the tuple (h, C): "
            + _CELL_BATCH
            + "; "
            + _CELL_SINGLE
            + "."
        ),
        reference=recurrent.lstm_cell,
        make_cases=lstm_cell_cases,
        compare=fields(("h", STEP), ("C", STEP)),
        shapes=(
            ShapePromise(
                _CELL_BATCH,
                has_ndim("x", 2),
                lambda kw: (np.shape(kw["h_prev"]),) * 2,
            ),
            ShapePromise(
                _CELL_SINGLE,
                has_ndim("x", 1),
                lambda kw: (np.shape(kw["h_prev"]),) * 2,
            ),
        ),
        mistakes=(
            *lstm_mistakes("lstm", lstm_cell_variant),
            Mistake(
                "lstm-state-order-swapped",
                "Returned (C, h) instead of (h, C)",
                "Return the hidden state first and the cell state second: (h, C).",
                partial(lstm_cell_variant, swap_outputs=True),
                point="Your numbers may be right: look at the order of the two values "
                "in your return statement and in the statement's tuple.",
                fix="`return h, C`.",
            ),
        ),
        properties=(
            Property("lstm-hidden-range", "h lies in (−1, 1)", per_case(hidden_law)),
            Property(
                "lstm-cell-growth",
                "|C| ≤ |C_prev| + 1, since f, i < 1 and |C̃| < 1",
                per_case(_cell_growth_law),
            ),
        ),
        forbidden=("torch.nn.LSTMCell", "torch.nn.LSTM", "tensorflow", "keras"),
    )
)
