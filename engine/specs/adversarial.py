"""Exercise spec for lecture 6.5: fooling a linear classifier (x + α·w).
FGSM is in `adversarial_fgsm`."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose
from engine.reference import adversarial
from engine.specs import register
from engine.specs.base import (
    Case,
    ExerciseSpec,
    Mistake,
    Property,
    ShapePromise,
    per_case,
)


def _fool_sign(x: Any, w: Any, alpha: float) -> np.ndarray:
    return np.asarray(x, dtype=float) + alpha * np.sign(np.asarray(w, dtype=float))


def _fool_unit(x: Any, w: Any, alpha: float) -> np.ndarray:
    weights = np.asarray(w, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        direction = weights / np.linalg.norm(weights)
    return np.asarray(x, dtype=float) + alpha * direction


def _fool_against(x: Any, w: Any, alpha: float) -> np.ndarray:
    return np.asarray(x, dtype=float) - alpha * np.asarray(w, dtype=float)


def _fool_clipped(x: Any, w: Any, alpha: float) -> np.ndarray:
    return np.clip(adversarial.fool_linear(x, w, alpha), 0.0, 1.0)


def _round(values: np.ndarray) -> Any:
    return np.round(values, 2).tolist()


def fool_linear_cases(seed: int) -> list[Case]:
    cases = [
        Case(
            "one example",
            {"x": [0.2, 0.5, 0.9], "w": [1.0, -2.0, 0.5], "alpha": 0.1},
            "edge: a single example (1-D)",
        ),
        Case(
            "one feature",
            {"x": [0.5], "w": [-2.0], "alpha": 0.25},
            "edge: one feature",
        ),
        Case(
            "alpha zero",
            {"x": [0.3, 0.6], "w": [2.0, 1.0], "alpha": 0.0},
            "edge: alpha = 0 leaves x unchanged",
        ),
        Case(
            "zero weights",
            {"x": [0.1, 0.4, 0.7], "w": [0.0, 0.0, 0.0], "alpha": 0.5},
            "edge: w = 0, a classifier that ignores its input",
        ),
        Case(
            "batch of one",
            {"x": [[0.25, 0.5, 0.75, 1.0]], "w": [0.5, -1.5, 2.0, 0.0], "alpha": 0.125},
            "edge: a batch of one example, (1, D)",
        ),
        Case(
            "no clipping",
            {"x": [0.05, 0.5, 0.95], "w": [-2.0, 0.5, 2.0], "alpha": 0.1},
            "convention: no clipping: x + α·w = (−0.15, 0.55, 1.15) goes below 0 "
            "and above 1 and stays there",
        ),
        Case(
            "batch",
            {
                "x": [[0.0, 1.0, 0.5], [0.5, 0.5, 0.5], [1.0, 0.0, 0.25]],
                "w": [3.0, -0.5, 0.25],
                "alpha": 0.05,
            },
            "convention: every row of a batch moves by α·w (N = D = 3)",
        ),
    ]
    rng = np.random.default_rng(seed)
    for i, rows in enumerate([None, 2, None, 4, 1, 3]):
        features = int(rng.integers(3, 7))
        shape = (features,) if rows is None else (rows, features)
        case = {
            "x": _round(rng.uniform(0, 1, size=shape)),
            "w": _round(rng.uniform(-2, 2, size=features)),
            "alpha": float(rng.choice([0.01, 0.05, 0.1, 0.2])),
        }
        cases.append(Case(f"random {i + 1}", case, "random", hidden=i >= 4))
    return cases


def _score_gain(kwargs: dict[str, Any], got: Any) -> str | None:
    x = np.asarray(kwargs["x"], dtype=float)
    w = np.asarray(kwargs["w"], dtype=float)
    moved = np.asarray(got, dtype=float).reshape(x.shape)
    gain = (moved - x) @ w
    wanted = kwargs["alpha"] * float(w @ w)
    if np.allclose(gain, wanted, rtol=1e-6, atol=1e-6):
        return None
    return (
        f"the score w·x rose by {np.round(gain, 6).tolist()}, not α‖w‖² = {wanted:.6g}"
    )


_ONE = "one example x of shape (D,) gives an array of shape (D,)"
_BATCH = "a batch x of shape (N, D) gives an array of shape (N, D), also for N = 1"

FOOL_LINEAR = register(
    ExerciseSpec(
        id="fool_linear",
        title="Fooling a linear classifier",
        topic="6.5",
        entry_point="fool_linear",
        signature="def fool_linear(x, w, alpha) -> array",
        statement=(
            "A linear classifier scores an input x with w·x + b. x is one example of "
            "shape (D,) or a batch of shape (N, D); w has shape (D,). Following the "
            "notes, return x + alpha·w (the weight vector itself, for every example), "
            "without clipping: values may leave [0, 1]. Shapes: "
            f"{_ONE}; {_BATCH}."
        ),
        reference=adversarial.fool_linear,
        make_cases=fool_linear_cases,
        compare=allclose(rtol=0, atol=1e-6),
        mistakes=(
            Mistake(
                "fool-linear-sign",
                "alpha·sign(w) instead of alpha·w",
                "Adding alpha·sign(w) is the FGSM (L∞) version of the attack. The notes "
                "add alpha·w, which raises the score by alpha·‖w‖².",
                _fool_sign,
                point="Look at the vector you add to x: is it w itself, or something derived from w that keeps only each weight's sign?",
                fix="`return np.asarray(x, float) + alpha * np.asarray(w, float)`, with no `np.sign`",
            ),
            Mistake(
                "fool-linear-unit-norm",
                "alpha·w/‖w‖ instead of alpha·w",
                "You normalised w to unit length. The notes add alpha times the weight "
                "vector as it is.",
                _fool_unit,
                point="Look at the step you add: does it still have w's length, or did you rescale w first?",
                fix="`return np.asarray(x, float) + alpha * np.asarray(w, float)`, with no division by `np.linalg.norm(w)`",
            ),
            Mistake(
                "fool-linear-against",
                "x − alpha·w",
                "Subtracting alpha·w lowers the score. The notes push the input along "
                "w: x + alpha·w.",
                _fool_against,
                point="Check the sign of your step: does it raise the score w·x + b or lower it?",
                fix="`return np.asarray(x, float) + alpha * np.asarray(w, float)` (plus, not minus)",
            ),
            Mistake(
                "fool-linear-clipped",
                "Result clipped to [0, 1]",
                "The notes' attack is x + alpha·w and nothing more: no clipping, so a "
                "value may fall below 0 or rise above 1. Clipping also breaks the "
                "guarantee that the score rises by exactly alpha·‖w‖².",
                _fool_clipped,
                point="Look at what happens after the addition: does anything change the values that leave [0, 1]? Compare with the visible case 'no clipping'.",
                fix="`return np.asarray(x, float) + alpha * np.asarray(w, float)`, with no `np.clip` afterwards",
            ),
        ),
        properties=(
            Property(
                "fool-linear-score-gain",
                "the score w·x rises by exactly alpha·‖w‖² for every example",
                per_case(_score_gain),
            ),
        ),
        shapes=(
            ShapePromise(
                _ONE,
                lambda kwargs: np.ndim(kwargs["x"]) == 1,
                lambda kwargs: (len(kwargs["w"]),),
            ),
            ShapePromise(
                _BATCH,
                lambda kwargs: np.ndim(kwargs["x"]) == 2,
                lambda kwargs: (len(kwargs["x"]), len(kwargs["w"])),
            ),
        ),
    )
)
