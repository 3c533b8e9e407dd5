"""The grader's result contract: frozen dataclasses, JSON in and out.

A wrong or crashing submission is a `Report`, never an exception. `score` is in
[0, 1]; `gradable` is False when the submission could not be run at all (a
syntax error, a forbidden call, a missing entry point), in which case a
front end should not count it as an attempt.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

import numpy as np

from engine.sandbox.types import RunOutcome
from engine.version import ENGINE_VERSION

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
    "interfered",
    "internal_error",
]
MAX_SHOWN_ITEMS = 400
# Bounds on what a report holds: any one text, and the whole stored report.
MAX_TEXT_CHARS = 8_000
MAX_REPORT_BYTES = 256 * 1024
TRUNCATED = "… (truncated)"


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
        """The report as JSON-safe data of at most MAX_REPORT_BYTES: every text
        and list is capped with a visible mark, and a report still too large
        keeps less of each case until it fits."""
        data = asdict(self)
        data["passed"] = self.passed
        data["total"] = self.total
        return bounded(jsonable(data))

    def public(self) -> Report:
        """The report as anyone outside the course staff may see it: each hidden
        case keeps its name, verdict and score, and loses its inputs, expected
        and returned values, printed output, error and message (which quotes
        values)."""
        cases = tuple(
            replace(
                case,
                inputs=None,
                expected=None,
                got=None,
                max_abs_error=None,
                error="",
                stdout="",
                message="hidden case: " + ("passed" if case.passed else "failed"),
            )
            if case.hidden
            else case
            for case in self.cases
        )
        return replace(self, cases=cases)

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


def report_for(
    exercise: str,
    verdict: Verdict,
    *,
    message: str,
    score: float = 0.0,
    gradable: bool = True,
    cases: tuple[CaseResult, ...] = (),
    mistake: MistakeMatch | None = None,
    properties: tuple[BrokenProperty, ...] = (),
    traceback: str = "",
    line: int = 0,
    column: int = 0,
    outcome: RunOutcome | None = None,
    duration_ms: float = 0.0,
) -> Report:
    """A report of this engine version; `outcome` is the run the student is
    shown (its printed output and the isolation it had), if any."""
    return Report(
        exercise=exercise,
        verdict=verdict,
        score=score,
        gradable=gradable,
        message=message,
        cases=cases,
        mistake=mistake,
        properties=properties,
        stdout=outcome.stdout if outcome else "",
        traceback=traceback,
        line=line,
        column=column,
        isolation=outcome.isolation if outcome else (),
        missing_isolation=outcome.missing_isolation if outcome else (),
        duration_ms=duration_ms,
        engine_version=ENGINE_VERSION,
    )


def clip_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """The text, cut to `limit` characters with a visible mark."""
    if len(text) <= limit:
        return text
    return text[:limit] + "\n" + TRUNCATED


def jsonable(value: Any, depth: int = 0) -> Any:
    """A JSON-safe, bounded copy: arrays become (possibly truncated) nested
    lists, non-finite floats the strings "nan", "inf", "-inf"; texts, lists and
    mappings longer than the caps are cut with a visible mark."""
    if depth > 40:
        return "…"
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, str):
        return clip_text(value)
    if isinstance(value, np.generic):
        return jsonable(value.item(), depth + 1)
    if isinstance(value, np.ndarray):
        return _array_jsonable(value, depth)
    if isinstance(value, dict):
        items = list(value.items())
        out = {
            clip_text(str(key), 200): jsonable(item, depth + 1)
            for key, item in items[:MAX_SHOWN_ITEMS]
        }
        if len(items) > MAX_SHOWN_ITEMS:
            out[TRUNCATED] = f"{len(items) - MAX_SHOWN_ITEMS} more entries"
        return out
    if isinstance(value, (list, tuple)):
        kept = [jsonable(item, depth + 1) for item in value[:MAX_SHOWN_ITEMS]]
        if len(value) > MAX_SHOWN_ITEMS:
            kept.append(f"{TRUNCATED}: {len(value) - MAX_SHOWN_ITEMS} more items")
        return kept
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        return _array_jsonable(value.detach().cpu().numpy(), depth)
    return clip_text(repr(value), 200)


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


def json_size(data: Any) -> int:
    return len(json.dumps(data, ensure_ascii=False).encode())


# Ever smaller caps on each case's texts and values, tried in turn until the
# report fits; the last step keeps only each case's verdict and message.
_SHRINK_STEPS = ((2_000, 100), (500, 20), (100, 5))
_CASE_VALUES = ("inputs", "expected", "got")
_CASE_TEXTS = ("stdout", "error", "message")
_REPORT_TEXTS = ("stdout", "traceback", "message")


def bounded(data: dict[str, Any], max_bytes: int = MAX_REPORT_BYTES) -> dict[str, Any]:
    """`data` (a report as JSON-safe data) cut down to at most `max_bytes`."""
    if json_size(data) <= max_bytes:
        return data
    for text_cap, item_cap in _SHRINK_STEPS:
        smaller = _shrunk(data, text_cap, item_cap)
        if json_size(smaller) <= max_bytes:
            return smaller
    smaller = _shrunk(data, 100, 5)
    for case in smaller.get("cases", []):
        for key in (*_CASE_VALUES, "stdout", "error"):
            if case.get(key) not in (None, ""):
                case[key] = TRUNCATED
    smaller["extra"] = {}
    return smaller


def _shrunk(data: dict[str, Any], text_cap: int, item_cap: int) -> dict[str, Any]:
    out = dict(data)
    for key in _REPORT_TEXTS:
        if isinstance(out.get(key), str):
            out[key] = clip_text(out[key], text_cap * 4)
    cases = []
    for case in data.get("cases", []):
        case = dict(case)
        for key in _CASE_TEXTS:
            if isinstance(case.get(key), str):
                case[key] = clip_text(case[key], text_cap)
        for key in _CASE_VALUES:
            case[key] = _capped(case.get(key), text_cap, item_cap)
        cases.append(case)
    out["cases"] = cases
    return out


def _capped(value: Any, text_cap: int, item_cap: int) -> Any:
    if isinstance(value, str):
        return clip_text(value, text_cap)
    if isinstance(value, list):
        kept = [_capped(item, text_cap, item_cap) for item in value[:item_cap]]
        if len(value) > item_cap:
            kept.append(f"{TRUNCATED}: {len(value) - item_cap} more items")
        return kept
    if isinstance(value, dict):
        items = list(value.items())
        out = {key: _capped(item, text_cap, item_cap) for key, item in items[:item_cap]}
        if len(items) > item_cap:
            out[TRUNCATED] = f"{len(items) - item_cap} more entries"
        return out
    return value
