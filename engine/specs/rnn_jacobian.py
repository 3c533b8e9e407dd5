"""Exercise spec for lecture 7.7: vanishing and exploding gradients, ∂h_T/∂h_1."""

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
from engine.specs.recurrent import SEQUENCE, U32, W3, as_array, as_arrays, draw


def _rnn_jacobian_variant(
    xs: ArrayLike,
    h0: ArrayLike,
    W: ArrayLike,  # noqa: N803
    U: ArrayLike,  # noqa: N803
    *,
    derivative_at: str = "output",
    reversed_product: bool = False,
    transposed: bool = False,
    frobenius: bool = False,
) -> tuple[np.ndarray, float]:
    W_, U_ = as_array(W), as_array(U)
    states = [as_array(h0)]
    for x in as_array(xs):
        states.append(np.tanh(W_ @ states[-1] + U_ @ x))
    jacobian = np.eye(len(W_))
    for k in range(2, len(states)):  # the step from h_{k-1} to h_k
        if derivative_at == "output":
            factor = np.diag(1 - states[k] ** 2) @ W_
        elif derivative_at == "input":  # the notes' W·diag(1 − h_k²), one step early
            factor = W_ @ np.diag(1 - states[k - 1] ** 2)
        else:
            factor = W_
        jacobian = jacobian @ factor if reversed_product else factor @ jacobian
    if transposed:
        jacobian = jacobian.T
    norm = np.linalg.norm(jacobian) if frobenius else np.linalg.norm(jacobian, 2)
    return jacobian, float(norm)


def rnn_jacobian_cases(seed: int) -> list[Case]:
    h0 = [0.25, -0.5, 0.75]
    xs = [[0.5, -1.0], [1.0, 0.5], [-0.5, 0.25], [0.75, -0.25]]
    grow = [[1.25, 0.5], [0.0, 1.0]]
    cases = [
        Case(
            "four steps",
            {"xs": xs, "h0": h0, "W": W3, "U": U32},
            "convention: T = 4, three factors",
        ),
        Case(
            "one step",
            {"xs": xs[:1], "h0": h0, "W": W3, "U": U32},
            "edge: T = 1, so J is the identity",
        ),
        Case(
            "two steps",
            {"xs": xs[:2], "h0": h0, "W": W3, "U": U32},
            "edge: T = 2, a single factor diag(1 − h_2²) W",
        ),
        Case(
            "no recurrence",
            {"xs": xs[:3], "h0": h0, "W": np.zeros((3, 3)), "U": U32},
            "edge: W = 0, so h_T does not depend on h_1",
        ),
        Case(
            "at rest",
            {"xs": np.zeros((5, 1)), "h0": [0.0, 0.0], "W": grow, "U": [[1.0], [-1.0]]},
            "convention: h stays 0, every tanh derivative is 1 and J = W^(T−1): "
            "it explodes since ‖W‖₂ > 1",
        ),
        Case(
            "saturated",
            {
                "xs": np.zeros((4, 1)),
                "h0": [0.875, -0.875],
                "W": [[3.0, 0.5], [-0.5, 3.0]],
                "U": [[1.0], [1.0]],
            },
            "convention: ‖W‖₂ > 3, yet saturated states (1 − h² ≈ 0) make J vanish",
        ),
    ]
    rng = np.random.default_rng(seed)
    shapes = [(3, 2, 2), (5, 3, 1), (6, 4, 3), (4, 2, 3), (5, 3, 2), (6, 4, 2)]
    for i, (steps, hidden, inputs) in enumerate(shapes):
        weight = rng.normal(size=(hidden, hidden))
        weight *= rng.uniform(0.6, 1.8) / np.linalg.norm(weight, 2)
        kwargs = {
            "xs": draw(rng, steps, inputs),
            "h0": np.round(rng.uniform(-0.9, 0.9, size=hidden), 3),
            "W": np.round(weight, 3),
            "U": draw(rng, hidden, inputs, scale=0.8),
        }
        cases.append(Case(f"random {i + 1}", kwargs, "random", hidden=i >= 4))
    return as_arrays(cases)


def _norm_is_spectral(kwargs: dict[str, Any], got: Any) -> str | None:
    largest = float(np.linalg.norm(as_array(got[0]), 2))
    norm = float(got[1])
    if abs(norm - largest) <= 1e-5 + 1e-4 * largest:
        return None
    return f"norm {norm:.6g}, but the largest singular value of your J is {largest:.6g}"


def _norm_bound(kwargs: dict[str, Any], got: Any) -> str | None:
    bound = float(np.linalg.norm(as_array(kwargs["W"]), 2)) ** (len(kwargs["xs"]) - 1)
    norm = float(got[1])
    if norm < 0:
        return f"norm {norm:.6g} is negative"
    if norm <= bound * (1 + 1e-4) + 1e-5:
        return None
    return f"norm {norm:.6g} exceeds ‖W‖₂^(T−1) = {bound:.6g}"


_SHAPES = "J of shape (H, H) and norm a single number"

_JACOBIAN_STATEMENT = (
    "For one sequence xs of shape (T, I) and h0 of shape (H,), run the notes' simple "
    "RNN h_t = tanh(W h_{t−1} + U x_t), t = 1..T (W H×H, U H×I, no biases). Return "
    "the tuple (J, norm), " + _SHAPES + ": J = ∂h_T/∂h_1, the H×H matrix with "
    "J[i, j] = ∂h_T[i]/∂h_1[j] (the identity when T = 1), and norm = its spectral "
    "norm, the largest singular value. Build J as the product of the per-step Jacobians: "
    "the step from h_k to h_{k+1} contributes diag(1 − h_{k+1}²) W, where the tanh "
    "derivative is taken at the state that step produces (the notes' formula writes "
    "h_k, one step early). Do not use autograd."
)


RNN_JACOBIAN = register(
    ExerciseSpec(
        id="rnn_jacobian",
        title="Vanishing and exploding gradients: the Jacobian ∂h_T/∂h_1",
        topic="7.7",
        entry_point="rnn_jacobian",
        signature="def rnn_jacobian(xs, h0, W, U) -> tuple[array, float]",
        statement=_JACOBIAN_STATEMENT,
        reference=recurrent.rnn_jacobian,
        make_cases=rnn_jacobian_cases,
        compare=fields(("J", SEQUENCE), ("norm", SEQUENCE)),
        shapes=(
            ShapePromise(
                _SHAPES,
                lambda kw: True,
                lambda kw: ((len(kw["W"]), len(kw["W"])), ()),
            ),
        ),
        mistakes=(
            Mistake(
                "rnn-jacobian-no-tanh-derivative",
                "tanh derivative left out: J = W^(T−1)",
                "Every step passes through tanh, so its Jacobian is diag(1 − h²) W, not "
                "W. The factor 1 − h² ≤ 1 is what makes saturated units stop the "
                "gradient even when ‖W‖ > 1.",
                partial(_rnn_jacobian_variant, derivative_at="none"),
                point="Look at the factor you multiply in for each step: where is the "
                "derivative of tanh? Try the case 'saturated'.",
                fix="Starting from `J = np.eye(len(W))`, for each state `h_next` of "
                "h_2..h_T: `J = np.diag(1 - h_next**2) @ W @ J`.",
            ),
            Mistake(
                "rnn-jacobian-derivative-wrong-step",
                "tanh derivative taken one step early",
                "You multiplied W diag(1 − h_k²) for the step from h_k to h_{k+1}, as "
                "the notes' formula is written. Differentiate h_{k+1} = tanh(W h_k + "
                "U x_{k+1}): the derivative of tanh is taken at its own output, so the "
                "factor is diag(1 − h_{k+1}²) W.",
                partial(_rnn_jacobian_variant, derivative_at="input"),
                point="In each step's factor, which state do you take 1 − h² of: the "
                "one going into the step, or the one it produces?",
                fix="`h_next = np.tanh(W @ h + U @ x)`, then `J = np.diag(1 - "
                "h_next**2) @ W @ J`, not `W @ np.diag(1 - h**2)`.",
            ),
            Mistake(
                "rnn-jacobian-product-reversed",
                "Per-step Jacobians multiplied in the wrong order",
                "Matrix products do not commute. The chain rule puts the latest step on "
                "the left: ∂h_T/∂h_1 = (∂h_T/∂h_{T−1}) ⋯ (∂h_2/∂h_1), so each new "
                "factor multiplies the running product from the left (J = step @ J).",
                partial(_rnn_jacobian_variant, reversed_product=True),
                point="Look at the side on which each new step's factor joins your "
                "running product: does the latest step end up on the left or on the "
                "right?",
                fix="`J = np.diag(1 - h_next**2) @ W @ J` (new factor on the left), "
                "not `J = J @ np.diag(1 - h_next**2) @ W`.",
            ),
            Mistake(
                "rnn-jacobian-transposed",
                "J transposed",
                "J[i, j] must be ∂h_T[i]/∂h_1[j]: rows follow h_T, columns h_1. You "
                "returned its transpose, the layout backpropagation uses for gradients "
                "(Wᵀ diag(1 − h²) …). The norm is the same; the matrix is not.",
                partial(_rnn_jacobian_variant, transposed=True),
                point="Your norm is right but J is not: look for a `.T` or a `W.T` "
                "in how you build J. Which index of J should follow h_T?",
                fix="Build `J = np.diag(1 - h_next**2) @ W @ J` and return it as it "
                "is, with no final `.T` and no `W.T` in the factors.",
            ),
            Mistake(
                "rnn-jacobian-frobenius-norm",
                "Frobenius norm instead of the spectral norm",
                "np.linalg.norm(J) is the Frobenius norm, the root of the sum of "
                "squares. The spectral norm is the largest singular value, "
                "np.linalg.norm(J, 2): the most J can stretch a vector.",
                partial(_rnn_jacobian_variant, frobenius=True),
                point="Your J is right but the norm is not: which matrix norm does "
                "your call compute when you give it no order?",
                fix="`norm = float(np.linalg.norm(J, 2))`, not `np.linalg.norm(J)`.",
            ),
        ),
        properties=(
            Property(
                "rnn-jacobian-norm-is-spectral",
                "norm is the largest singular value of the returned J",
                per_case(_norm_is_spectral),
            ),
            Property(
                "rnn-jacobian-norm-bound",
                "0 ≤ norm ≤ ‖W‖₂^(T−1), since every tanh derivative lies in (0, 1]",
                per_case(_norm_bound),
            ),
        ),
        forbidden=(
            "torch.autograd.functional.jacobian",
            "torch.autograd.grad",
            "torch.autograd.backward",
            "torch.Tensor.backward",
            "torch.func.jacrev",
            "torch.func.jacfwd",
            "torch.func.vjp",
            "functorch",
            "jax",
        ),
    )
)
