"""Exercise specs for lecture 7.9: the GRU cell and its unroll, in the notes' form.

z weights the NEW candidate (h = (1 − z) ⊙ h_prev + z ⊙ h̃) and the reset gate
multiplies h_prev before the matrix. PyTorch's GRUCell differs on both counts
(z on the old state, reset after the matrix), which is why its conventions are
registered as mistakes here rather than used as the reference.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

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
from engine.specs.recurrent import SEQUENCE, STEP, as_array, as_arrays, draw, has_ndim


def _sigmoid(a: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-a))


def _gru_cell_variant(
    x: ArrayLike,
    h_prev: ArrayLike,
    W_z: ArrayLike,  # noqa: N803
    W_r: ArrayLike,  # noqa: N803
    W_h: ArrayLike,  # noqa: N803
    *,
    z_on_old: bool = False,
    reset: str = "before",
    input_first: bool = False,
) -> np.ndarray:
    x_, h_ = as_array(x), as_array(h_prev)
    W_h_ = as_array(W_h)

    def join(h: np.ndarray) -> np.ndarray:
        return np.concatenate([x_, h] if input_first else [h, x_], axis=-1)

    z = _sigmoid(join(h_) @ as_array(W_z).T)
    r = _sigmoid(join(h_) @ as_array(W_r).T)
    if reset == "after":  # GRUCell: tanh(W_hx x + r ⊙ (W_hh h))
        hidden = h_.shape[-1]
        from_h = h_ @ W_h_[:, :hidden].T
        candidate = np.tanh(x_ @ W_h_[:, hidden:].T + r * from_h)
    else:
        candidate = np.tanh(join(r * h_ if reset == "before" else h_) @ W_h_.T)
    if z_on_old:
        return z * h_ + (1 - z) * candidate
    return (1 - z) * h_ + z * candidate


def _gru_sequence_variant(
    xs: ArrayLike,
    h0: ArrayLike,
    W_z: ArrayLike,  # noqa: N803
    W_r: ArrayLike,  # noqa: N803
    W_h: ArrayLike,  # noqa: N803
    **cell_options: Any,
) -> np.ndarray:
    h, hs = as_array(h0), []
    for x in as_array(xs):
        h = _gru_cell_variant(x, h, W_z, W_r, W_h, **cell_options)
        hs.append(h)
    return np.stack(hs)


def _random_gru(
    rng: np.random.Generator, hidden: int, inputs: int
) -> dict[str, np.ndarray]:
    return {
        name: draw(rng, hidden, hidden + inputs, scale=0.7)
        for name in ("W_z", "W_r", "W_h")
    }


# A fixed cell with H = 3, I = 2: exact binary, non-symmetric weights.
FIXED = {
    "W_z": [
        [0.5, -0.25, 0.0, 1.0, -0.5],
        [0.25, 0.5, -0.5, 0.0, 0.75],
        [-0.5, 0.0, 0.25, -0.75, 0.5],
    ],
    "W_r": [
        [1.0, 0.5, -0.75, 0.25, 0.0],
        [-0.5, 0.75, 0.5, 0.0, -1.0],
        [0.0, -1.0, 1.0, 0.5, 0.25],
    ],
    "W_h": [
        [0.75, -0.5, 0.25, 1.0, 0.0],
        [0.0, 1.0, -0.5, -0.5, 0.5],
        [-1.0, 0.25, 0.5, 0.25, 1.0],
    ],
}
ZERO_RESET = {**FIXED, "W_r": np.zeros((3, 5))}


def gru_cell_cases(seed: int) -> list[Case]:
    x, h = [0.5, -1.0], [0.25, -0.5, 0.75]
    batch_x, batch_h = [x, [1.0, 0.25]], [h, [-0.75, 0.5, 0.0]]

    def case(name: str, label: str, x: Any, h: Any, weights: Any) -> Case:
        return Case(name, {"x": x, "h_prev": h, **weights}, label)

    cases = [
        case(
            "exact batch",
            "convention: two samples as rows, exact binary inputs",
            batch_x,
            batch_h,
            FIXED,
        ),
        case(
            "constant reset",
            "convention: W_r = 0, so r = 1/2 in every unit and resetting before or "
            "after the matrix agree",
            batch_x,
            batch_h,
            ZERO_RESET,
        ),
        case("one vector", "edge: a single sample as 1-D vectors", x, h, FIXED),
        case("batch of one", "edge: a batch of one, x (1, I)", [x], [h], FIXED),
        case(
            "zero state",
            "edge: h_prev = 0, so the reset gate has nothing to act on: h = z ⊙ h̃",
            batch_x,
            np.zeros((2, 3)),
            FIXED,
        ),
    ]
    rng = np.random.default_rng(seed)
    shapes = [(3, 2, 3), (2, 4, 1), (1, 3, 2), (4, 2, 2), (2, 3, 3), (3, 4, 2)]
    for i, (n, hidden, inputs) in enumerate(shapes):
        kwargs = {
            "x": draw(rng, n, inputs),
            "h_prev": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            **_random_gru(rng, hidden, inputs),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


def gru_sequence_cases(seed: int) -> list[Case]:
    xs = [[[0.5, -1.0]], [[1.0, 0.25]], [[-0.5, 0.5]], [[0.0, 1.0]]]
    h0 = [[0.25, -0.5, 0.75]]
    pairs = [[s[0], [s[0][1], -s[0][0]]] for s in xs]  # two samples per step
    cases = [
        Case(
            "batch of two",
            {"xs": pairs, "h0": [h0[0], [-0.75, 0.5, 0.0]], **FIXED},
            "convention: two samples as rows over T = 4 steps, from the given h0",
        ),
        Case("one step", {"xs": xs[:1], "h0": h0, **FIXED}, "edge: T = 1"),
        Case(
            "one sequence",
            {"xs": [s[0] for s in xs], "h0": h0[0], **FIXED},
            "edge: one sequence without a batch axis, xs (T, I) and h0 (H,)",
        ),
        Case("batch of one", {"xs": xs, "h0": h0, **FIXED}, "edge: xs (T, 1, I)"),
        Case("zero start", {"xs": xs, "h0": np.zeros((1, 3)), **FIXED}, "edge: h0 = 0"),
        Case(
            "constant reset",
            {"xs": xs, "h0": h0, **ZERO_RESET},
            "convention: W_r = 0, r = 1/2 everywhere",
        ),
    ]
    rng = np.random.default_rng(seed)
    shapes = [(4, 2, 3, 2), (5, 3, 2, 3), (3, 1, 4, 1), (6, 2, 2, 2), (5, 2, 4, 3)]
    for i, (steps, n, hidden, inputs) in enumerate([*shapes, (4, 3, 3, 2)]):
        kwargs = {
            "xs": draw(rng, steps, n, inputs),
            "h0": np.round(rng.uniform(-0.9, 0.9, size=(n, hidden)), 3),
            **_random_gru(rng, hidden, inputs),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


def _hidden_law(kwargs: dict[str, Any], got: Any) -> str | None:
    states = as_array(got)
    if np.all(np.abs(states) < 1):
        return None
    return f"a hidden state holds {float(states.flat[np.argmax(np.abs(states))]):g}"


_STATEMENT = (
    "Use the notes' GRU, without biases: z = σ(W_z [h_prev, x]), "
    "r = σ(W_r [h_prev, x]), h̃ = tanh(W_h [r ⊙ h_prev, x]), "
    "h = (1 − z) ⊙ h_prev + z ⊙ h̃. The reset gate multiplies h_prev before the "
    "matrix, and z weights the new candidate. W_z, W_r and W_h are (H, H+I) and act "
    "on concatenations with h first; a batch of N vectors is given as the rows of an "
    "array, so W_z [h, x] is [h, x] @ W_zᵀ. "
)


def _mistakes(prefix: str, variant: Any) -> tuple[Mistake, ...]:
    return (
        Mistake(
            f"{prefix}-z-swapped",
            "z and 1 − z swapped (PyTorch / Cho et al. convention)",
            "You wrote h = z ⊙ h_prev + (1 − z) ⊙ h̃, the convention of PyTorch's GRUCell "
            "and of Cho et al. In the notes z is the share of the NEW candidate: "
            "h = (1 − z) ⊙ h_prev + z ⊙ h̃.",
            partial(variant, z_on_old=True),
            point="Look at the final blend of h_prev and h̃: which of the two does "
            "your z multiply?",
            fix="`h = (1 - z) * h_prev + z * h_tilde`.",
        ),
        Mistake(
            f"{prefix}-reset-after",
            "Reset applied after the matrix (PyTorch's reset-after)",
            "You computed tanh(W_hx x + r ⊙ (W_hh h_prev)), as PyTorch's GRUCell does. "
            "The notes reset the state before the matrix: h̃ = tanh(W_h [r ⊙ h_prev, x]). "
            "The two differ in general: they agree only in special cases, such as r "
            "having the same value in every unit.",
            partial(variant, reset="after"),
            point="Look at where r enters the candidate: does it multiply h_prev "
            "before the matrix W_h, or the product after it?",
            fix="`h_tilde = np.tanh(np.concatenate([r * h_prev, x], axis=-1) @ W_h.T)`.",
        ),
        Mistake(
            f"{prefix}-no-reset",
            "Reset gate not used",
            "The candidate must see the reset state: h̃ = tanh(W_h [r ⊙ h_prev, x]). "
            "You used h_prev directly, so r has no effect.",
            partial(variant, reset="none"),
            point="Look at your candidate h̃: where does the reset gate r appear in it?",
            fix="`r = sigmoid(np.concatenate([h_prev, x], axis=-1) @ W_r.T)`, then "
            "`h_tilde = np.tanh(np.concatenate([r * h_prev, x], axis=-1) @ W_h.T)`.",
        ),
        Mistake(
            f"{prefix}-input-first-concat",
            "Concatenated [x, h] instead of [h, x]",
            "The notes' gates act on [h_prev, x]: the first H columns of each matrix "
            "multiply the state, the last I columns the input.",
            partial(variant, input_first=True),
            point="Look at every concatenation in your cell: which vector comes first?",
            fix="`np.concatenate([h_prev, x], axis=-1)` for z and r, and "
            "`np.concatenate([r * h_prev, x], axis=-1)` for h̃: state first, input "
            "second.",
        ),
    )


_CELL_BATCH = (
    "a batch (x of shape (N, I), h_prev of shape (N, H)) gives h of shape (N, H)"
)
_CELL_SINGLE = (
    "a single sample (1-D x of shape (I,), h_prev of shape (H,)) gives h of shape (H,)"
)
_SEQUENCE_BATCH = (
    "a batch (xs of shape (T, N, I), h0 of shape (N, H)) gives hs of shape (T, N, H)"
)
_SEQUENCE_SINGLE = (
    "a single sequence (xs of shape (T, I), h0 of shape (H,)) gives hs of shape (T, H)"
)

_FORBIDDEN = ("torch.nn.GRUCell", "torch.nn.GRU", "tensorflow", "keras")

GRU_CELL = register(
    ExerciseSpec(
        id="gru_cell",
        title="One step of a GRU (the notes' convention)",
        topic="7.9",
        entry_point="gru_cell",
        signature="def gru_cell(x, h_prev, W_z, W_r, W_h) -> array",
        statement=(
            "Compute one GRU step. "
            + _STATEMENT
            + "x is (N, I) and h_prev (N, H), or 1-D for a single sample. Return the new "
            "hidden state h: "
            + _CELL_BATCH
            + "; "
            + _CELL_SINGLE
            + ". PyTorch's GRUCell follows other conventions and gives different "
            "numbers."
        ),
        reference=recurrent.gru_cell,
        make_cases=gru_cell_cases,
        compare=STEP,
        shapes=(
            ShapePromise(
                _CELL_BATCH, has_ndim("x", 2), lambda kw: np.shape(kw["h_prev"])
            ),
            ShapePromise(
                _CELL_SINGLE, has_ndim("x", 1), lambda kw: np.shape(kw["h_prev"])
            ),
        ),
        mistakes=_mistakes("gru", _gru_cell_variant),
        properties=(
            Property(
                "gru-hidden-range",
                "h lies in (−1, 1): it is a blend of h_prev and h̃, both in (−1, 1)",
                per_case(_hidden_law),
            ),
        ),
        forbidden=_FORBIDDEN,
    )
)

GRU_SEQUENCE = register(
    ExerciseSpec(
        id="gru_sequence",
        title="A GRU over a sequence (the notes' convention)",
        topic="7.9",
        entry_point="gru_sequence",
        signature="def gru_sequence(xs, h0, W_z, W_r, W_h) -> array",
        statement=(
            "Unroll the notes' GRU over a sequence with the same weights at every step, "
            "starting from the given h0. "
            + _STATEMENT
            + "xs is time-first, (T, N, I), and h0 is (N, H); a single sequence comes as "
            "xs (T, I) and h0 (H,). Return hs holding h_1..h_T (not h0): "
            + _SEQUENCE_BATCH
            + "; "
            + _SEQUENCE_SINGLE
            + "."
        ),
        reference=recurrent.gru_sequence,
        make_cases=gru_sequence_cases,
        compare=SEQUENCE,
        shapes=(
            ShapePromise(
                _SEQUENCE_BATCH,
                has_ndim("xs", 3),
                lambda kw: (len(kw["xs"]), *np.shape(kw["h0"])),
            ),
            ShapePromise(
                _SEQUENCE_SINGLE,
                has_ndim("xs", 2),
                lambda kw: (len(kw["xs"]), *np.shape(kw["h0"])),
            ),
        ),
        mistakes=_mistakes("gru-seq", _gru_sequence_variant),
        properties=(
            Property(
                "gru-seq-hidden-range",
                "every h_t lies in (−1, 1)",
                per_case(_hidden_law),
            ),
        ),
        forbidden=_FORBIDDEN,
    )
)
