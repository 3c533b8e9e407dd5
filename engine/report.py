"""The grader's result contract: frozen dataclasses, JSON in and out.

A wrong or crashing submission is a `Report`, never an exception. `score` is in
[0, 1]; `gradable` is False when the submission could not be run at all (a
syntax error, a forbidden call, a missing entry point), in which case a
front end should not count it as an attempt.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

Verdict = Literal[
    "passed",
    "failed",
    "syntax_error",
    "forbidden",
    "missing_entry_point",
    "wrong_signature",
    "runtime_error",
    "time_limit",
    "memory_limit",
    "output_limit",
    "internal_error",
]
MAX_SHOWN_ITEMS = 400


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    score: float
    message: str
    hidden: bool = False
    label: str = ""
    inputs: Any = None
    expected: Any = None
    got: Any = None
    max_abs_error: float | None = None
    duration_ms: float | None = None
    error: str = ""
    stdout: str = ""


@dataclass(frozen=True)
class MistakeMatch:
    """A known-wrong variant of the reference that the submission reproduces."""

    id: str
    title: str
    explanation: str


@dataclass(frozen=True)
class BrokenProperty:
    """A mathematical law that the submission's outputs break."""

    id: str
    description: str
    message: str


@dataclass(frozen=True)
class Report:
    exercise: str
    verdict: Verdict
    score: float
    gradable: bool
    message: str
    cases: tuple[CaseResult, ...] = ()
    mistake: MistakeMatch | None = None
    properties: tuple[BrokenProperty, ...] = ()
    stdout: str = ""
    traceback: str = ""
    line: int = 0
    column: int = 0
    isolation: tuple[str, ...] = ()
    missing_isolation: tuple[str, ...] = ()
    duration_ms: float = 0.0
    engine_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return sum(1 for case in self.cases if case.passed)

    @property
    def total(self) -> int:
        return len(self.cases)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["total"] = self.total
        return jsonable(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        fields = dict(data)
        fields.pop("passed", None)
        fields.pop("total", None)
        fields["cases"] = tuple(CaseResult(**case) for case in fields.get("cases", ()))
        mistake = fields.get("mistake")
        fields["mistake"] = MistakeMatch(**mistake) if mistake else None
        fields["properties"] = tuple(
            BrokenProperty(**item) for item in fields.get("properties", ())
        )
        fields["isolation"] = tuple(fields.get("isolation", ()))
        fields["missing_isolation"] = tuple(fields.get("missing_isolation", ()))
        return cls(**fields)


def jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-safe copy: arrays become (possibly truncated) nested lists,
    non-finite floats become the strings "nan", "inf", "-inf"."""
    if depth > 40:
        return "…"
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, np.generic):
        return jsonable(value.item(), depth + 1)
    if isinstance(value, np.ndarray):
        return _array_jsonable(value, depth)
    if isinstance(value, dict):
        return {str(key): jsonable(item, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(item, depth + 1) for item in value]
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return _array_jsonable(value.detach().cpu().numpy(), depth)
    return repr(value)


def _array_jsonable(array: np.ndarray, depth: int) -> Any:
    if array.size > MAX_SHOWN_ITEMS:
        flat = array.reshape(-1)[:8]
        return {
            "shape": list(array.shape),
            "dtype": str(array.dtype),
            "first": jsonable(flat.tolist(), depth + 1),
            "truncated": True,
        }
    return jsonable(array.tolist(), depth + 1)
