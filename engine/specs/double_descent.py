"""Exercise spec for lecture 6.3: the minimum-norm least-squares solution
behind double descent."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import Comparator, Outcome, allclose
from engine.reference import training
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    as_lists,
    per_case,
)


def _min_norm_with_intercept(X: Any, y: Any) -> Any:  # noqa: N803
    design = np.column_stack([np.ones(len(X)), np.asarray(X, float)])
    return training.min_norm_solution(design, y)[1:]


def _well_conditioned(rng: np.random.Generator, n: int, p: int) -> np.ndarray:
    while True:
        X = np.round(rng.normal(size=(n, p)), 2)
        if np.linalg.cond(X) < 20:
            return X


def min_norm_cases(seed: int) -> list[Case]:
    def case(name: str, X: Any, y: Any, label: str) -> Case:  # noqa: N803
        return Case(name, {"X": np.asarray(X, float), "y": np.asarray(y, float)}, label)

    cases = [
        case("one sample", [[1, 2, 2]], [9], "edge: one sample (n = 1, p = 3)"),
        case("one feature", [[1], [2], [2]], [1, 2, 3], "edge: one feature (p = 1, n = 3)"),
        case("square", [[2, 0], [0, 4]], [2, 2], "edge: n = p, X invertible"),
        case("shared weight", [[1, 1, 0], [0, 0, 2]], [2, 4],
             "convention: two identical features share the weight equally (p > n)"),
    ]  # fmt: skip
    rng = np.random.default_rng(seed)
    for i in range(8):
        small, extra = int(rng.integers(2, 6)), int(rng.integers(3, 7))
        n, p = (small, small + extra) if i % 2 == 0 else (small + extra, small)
        X = _well_conditioned(rng, n, p)
        y = np.round(rng.normal(size=n), 2)
        cases.append(Case(f"random {i + 1}", {"X": X, "y": y}, "random", hidden=i >= 5))
    return as_lists(cases)


W_SHAPE = "Return w of shape (p,)"

# Float32 arithmetic: a backward-stable solve in float32 errs by about
# cond(X)·2^-24 relative to ‖w‖, and the normal equations by cond(X)²·2^-24,
# where cond(X) < 20 (random cases) or ≤ 2 (fixed ones): 400·6e-8 = 2.4e-5 at
# worst, measured ≤ 3e-6 at seeds 0–199 (SVD, torch.linalg.solve of XXᵀ or
# XᵀX). So every entry of w is compared within 2e-5 of max|w|; the nearest
# wrong answer, ridge with λ = 1e-3, is ≥ 1.1e-4·max|w| away on every fixed case.
W_TOLERANCE = 2e-5


def _within_scale(rtol: float) -> Comparator:
    """Every entry within rtol·max|expected| (a norm-wise error bound)."""

    def compare(expected: Any, got: Any) -> Outcome:
        scale = float(np.max(np.abs(expected), initial=0.0))
        return allclose(rtol=0, atol=rtol * scale + 1e-12)(expected, got)

    return compare


def _interpolates(kwargs: dict[str, Any], got: Any) -> str | None:
    X, y = np.asarray(kwargs["X"], float), np.asarray(kwargs["y"], float)
    if X.shape[1] < X.shape[0]:
        return None
    residual = float(np.abs(X @ np.asarray(got, float).reshape(-1) - y).max())
    return (
        None
        if residual <= 1e-4 * (1 + np.abs(y).max())
        else f"max |Xw − y| = {residual:.3g}"
    )


def _in_row_space(kwargs: dict[str, Any], got: Any) -> str | None:
    w = np.asarray(got, float).reshape(-1)
    X = np.asarray(kwargs["X"], float)
    projected = np.linalg.pinv(X) @ (X @ w)
    off = float(np.linalg.norm(w - projected))
    return None if off <= 1e-4 * (1 + np.linalg.norm(w)) else f"‖w − X⁺Xw‖ = {off:.3g}"


MIN_NORM_SOLUTION = register(
    ExerciseSpec(
        id="min_norm_solution",
        title="Minimum-norm least squares (double descent)",
        topic="6.3",
        entry_point="min_norm_solution",
        signature="def min_norm_solution(X, y) -> array",
        statement=(
            "X is an (n, p) array of full rank (rank min(n, p)), y has shape (n,). "
            f"{W_SHAPE}, the minimum-norm least-squares solution w = X⁺y: among the w "
            "that minimise ‖Xw − y‖², the one of smallest ‖w‖. With more features than "
            "samples (p > n) it interpolates the data (Xw = y), and it is the solution "
            "gradient descent from w = 0 converges to. No intercept: do not centre the "
            "data or add a column of ones. pinv and lstsq are not allowed: use the SVD, or "
            "a linear system that is invertible for the given shape. Every entry of w "
            "is compared within 2e-5·max|w|, which float32 arithmetic meets."
            " Arrays arrive as nested Python lists: convert them with np.asarray or "
            "torch.tensor."
        ),
        reference=training.min_norm_solution,
        make_cases=min_norm_cases,
        compare=_within_scale(W_TOLERANCE),
        shapes=(
            ShapePromise(
                W_SHAPE, lambda kwargs: True, lambda kwargs: (np.shape(kwargs["X"])[1],)
            ),
        ),
        mistakes=(
            Mistake(
                "min-norm-with-intercept",
                "Intercept fitted",
                "You fitted an intercept (a column of ones, or centred data as in "
                "scikit-learn's default LinearRegression). The notes' solution is X⁺y for "
                "the raw X, with no bias term: its coefficients differ.",
                _min_norm_with_intercept,
                point="Look at the matrix you solve with: is it exactly X, or did you add a column or shift the data first?",
                fix="With the raw X, no column of ones and no centring: `w = X.T @ np.linalg.solve(X @ X.T, y)` when p > n, otherwise `w = np.linalg.solve(X.T @ X, X.T @ y)`",
            ),
        ),
        properties=(
            Property(
                "min-norm-interpolates",
                "when p ≥ n the solution fits the data exactly, Xw = y",
                per_case(_interpolates),
            ),
            Property(
                "min-norm-row-space",
                "w lies in the row space of X (w = Xᵀa for some a), as the minimum-norm "
                "solution must: any other w with the same fit Xw has a larger norm",
                per_case(_in_row_space),
            ),
        ),
        forbidden=(
            "numpy.linalg.pinv",
            "numpy.linalg.lstsq",
            "torch.pinverse",
            "scipy.linalg.pinvh",
            "sklearn",
        ),
    )
)
