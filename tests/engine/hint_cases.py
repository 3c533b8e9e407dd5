"""A toy spec and report builders for the hint ladder tests (engine.hints):
a layer `x @ w.T` with two shape promises and one named mistake, and a hidden
case whose every value holds SECRET."""

from __future__ import annotations

from typing import Any

import numpy as np

from engine.compare import allclose
from engine.report import CaseResult, MistakeMatch, Report
from engine.specs.base import Case, ExerciseSpec, Mistake, ShapePromise

SECRET = "31337.5"  # in every hidden case's inputs, values and messages


def toy_mistake(**fields: Any) -> Mistake:
    defaults: dict[str, Any] = {
        "id": "toy-transposed",
        "title": "Weight used transposed",
        "explanation": "EXPLAIN: W maps I to O, so x @ W.T.",
        "function": lambda x, w: x @ w,
        "point": "POINT: which axis of W meets x?",
        "fix": "FIX: `return x @ w.T`",
    }
    return Mistake(**{**defaults, **fields})


def cases(seed: int) -> list[Case]:
    return [
        Case("batch", {"x": np.zeros((2, 3)), "w": np.ones((4, 3))}, "edge: a batch"),
        Case("single", {"x": np.zeros(3), "w": np.ones((4, 3))}, "edge: one sample"),
        Case("twin", {"x": np.zeros(3), "w": np.ones((4, 3))}, "edge: one sample"),
        Case("r1", {"x": np.ones((2, 3)), "w": np.ones((4, 3))}, "random"),
        Case("h1", {"x": np.full((2, 3), 31337.5), "w": np.ones((4, 3))}, "", True),
    ]


def toy_spec(**fields: Any) -> ExerciseSpec:
    defaults: dict[str, Any] = {
        "id": "toy",
        "title": "Toy layer",
        "topic": "0.0",
        "entry_point": "layer",
        "signature": "layer(x, w)",
        "statement": "Write layer.",
        "reference": lambda x, w: x @ w.T,
        "make_cases": cases,
        "compare": allclose(),
        "mistakes": (toy_mistake(),),
        "shapes": (
            ShapePromise(
                "a batch x of shape (N, I) gives (N, O)",
                lambda kw: np.ndim(kw["x"]) == 2,
                lambda kw: (kw["x"].shape[0], kw["w"].shape[0]),
            ),
            ShapePromise(
                "a single x of shape (I,) gives (O,)",
                lambda kw: np.ndim(kw["x"]) == 1,
                lambda kw: (kw["w"].shape[0],),
            ),
        ),
    }
    return ExerciseSpec(**{**defaults, **fields})


def result(name: str, **fields: Any) -> CaseResult:
    defaults: dict[str, Any] = {
        "passed": False,
        "score": 0.0,
        "message": "expected 1, got 2 (error 1, tolerance 1e-05)",
        "expected": 1.0,
        "got": 2.0,
    }
    return CaseResult(name=name, **{**defaults, **fields})


PASSED = result("batch", passed=True, score=1.0, message="correct", got=1.0)
HIDDEN = result(
    "h1",
    hidden=True,
    label=f"edge: {SECRET}",
    message=f"raised ValueError: bad {SECRET}",
    inputs={"x": [[SECRET]]},
    expected=float(SECRET),
    got=float(SECRET) + 1,
    error=f"Traceback: ValueError {SECRET}",
)


def toy_report(*cases: CaseResult, **fields: Any) -> Report:
    defaults: dict[str, Any] = {
        "exercise": "toy",
        "verdict": "failed",
        "score": 0.0,
        "gradable": True,
        "message": "Some cases failed.",
    }
    return Report(cases=cases, **{**defaults, **fields})


def named_match(mistake_id: str = "toy-transposed") -> MistakeMatch:
    return MistakeMatch(mistake_id, "Weight used transposed", "EXPLAIN")


ALL_OPEN = ("batch", "single", "twin", "r1", "h1")
