"""`run_examples(spec, source, inputs, expected) -> RunReport`: the student's
code run on inputs the caller chose, ungraded.

This is the "Run" before a submission: on the exercise's worked examples (its
visible cases, with the reference's outputs as `expected`) or on the student's
own input (`expected` None, or the reference's output when the caller allows
it). It takes only what the caller passes and refuses a hidden case, so it can
never become a channel for a hidden input. The report says what came back
(kind and shape, the values, printed text), whether each output matches the
expected one and how it differs, and which of the spec's laws the outputs
break; it never names a mistake (that needs every case: the grader's job) and
it has no score.

Like the grader, it compares in the trusted process: what the child returns
is data, and what the child says about itself is never believed.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

import numpy as np

from engine.compare import Outcome
from engine.report import TRUNCATED, bounded, clip_text, jsonable
from engine.run_verdicts import failed_run, forbidden_report, interfered, matched
from engine.sandbox.types import Job, Limits, RunOutcome
from engine.specs.base import Case, ExerciseSpec
from engine.static_checks import ParseFailure, find_forbidden, parse

if TYPE_CHECKING:
    from engine.grader import Runner

RunStatus = Literal[
    "ok",
    "syntax_error",
    "forbidden",
    "missing_entry_point",
    "wrong_signature",
    "runtime_error",
    "time_limit",
    "memory_limit",
    "output_limit",
    "interfered",
]
# Everything a run printed (each example's output, then the rest, then
# stderr) shares one budget of characters.
MAX_PRINTED_CHARS = 8_000


@dataclass(frozen=True)
class ExampleRun:
    """The code's call on one input. `matched` is None when there was nothing
    to compare with (the student's own input)."""

    name: str
    label: str
    inputs: Any
    ok: bool
    got: Any = None
    kind: str = ""
    expected: Any = None
    matched: bool | None = None
    message: str = ""
    max_abs_error: float | None = None
    error: str = ""
    stdout: str = ""
    duration_ms: float | None = None


@dataclass(frozen=True)
class LawCheck:
    """One of the spec's laws (IoU in [0, 1], Gram symmetric …) on the outputs."""

    id: str
    description: str
    broken: bool
    message: str = ""


@dataclass(frozen=True)
class RunReport:
    status: RunStatus
    message: str
    cases: tuple[ExampleRun, ...] = ()
    laws: tuple[LawCheck, ...] = ()
    stdout: str = ""
    stderr: str = ""
    traceback: str = ""
    line: int = 0
    column: int = 0
    duration_ms: float = 0.0
    missing_isolation: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.cases)

    @property
    def matched(self) -> int | None:
        """How many outputs match the expected ones; None when none was given."""
        compared = [case.matched for case in self.cases if case.matched is not None]
        return sum(compared) if compared else None

    def summary(self) -> str:
        """One sentence for a live region: "2 of 3 examples match"."""
        if self.status != "ok":
            return self.message
        if self.matched is not None:
            noun = "example" if self.total == 1 else "examples"
            verb = "matches" if self.total == 1 else "match"
            if self.matched == self.total:
                return f"All {self.total} {noun} {verb} the reference."
            return f"{self.matched} of {self.total} {noun} {verb} the reference."
        failed = next((case for case in self.cases if not case.ok), None)
        if failed is not None:
            text = f"Your code {failed.message}."
        elif self.total == 1:
            text = f"Your code returned {self.cases[0].kind}."
        else:
            text = f"Your code returned a value for each of the {self.total} inputs."
        broken = sum(1 for law in self.laws if law.broken)
        if broken:
            text += f" {broken} law{'s' if broken > 1 else ''} broken."
        return text

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe and bounded (engine.report.bounded)."""
        data = asdict(self)
        data["matched"] = self.matched
        data["total"] = self.total
        data["summary"] = self.summary()
        return bounded(jsonable(data))


def run_examples(
    spec: ExerciseSpec,
    source: str,
    inputs: Sequence[Case],
    expected: Sequence[Any] | None,
    *,
    runner: Runner | None = None,
    limits: Limits | None = None,
) -> RunReport:
    """Run `source`'s entry point on each of `inputs` in the sandbox; compare
    with `expected` (one per input) when given. Raises ValueError for a
    caller's error: no input, a hidden case, or expected of the wrong length."""
    if not inputs:
        raise ValueError("run_examples needs at least one input")
    if any(case.hidden for case in inputs):
        raise ValueError("run_examples never takes a hidden case")
    if expected is not None and len(expected) != len(inputs):
        raise ValueError("one expected output per input is needed")
    started = time.perf_counter()
    refused = _static_refusal(spec, source)
    if refused is not None:
        return refused
    if runner is None:
        from engine.grader import default_runner

        runner = default_runner()
    job = Job(
        source,
        spec.entry_point,
        [copy.deepcopy(case.kwargs) for case in inputs],
        spec.forbidden,
    )
    outcome = runner.run(job, limits or spec.limits)
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    if outcome.status != "ok":
        return _failed(spec, outcome, elapsed)
    results = matched(outcome.results, len(inputs))
    if results is None:
        report = interfered(spec, len(inputs), outcome, elapsed, outcome)
        return _from_verdict(report.verdict, report.message, outcome, elapsed)
    for raw in results:
        if "ForbiddenCallError" in str(raw.get("error", "")):
            report = forbidden_report(spec, str(raw["error"]), outcome)
            return _from_verdict("forbidden", report.message, None, elapsed)
    return _judged(spec, inputs, expected, results, outcome, elapsed)


def _static_refusal(spec: ExerciseSpec, source: str) -> RunReport | None:
    """A syntax error or a forbidden call, found before anything runs."""
    tree = parse(source)
    if isinstance(tree, ParseFailure):
        where = f" (line {tree.line}, column {tree.column})" if tree.line else ""
        return RunReport(
            "syntax_error",
            f"Syntax error: {tree.message}{where}",
            line=tree.line,
            column=tree.column,
        )
    forbidden = find_forbidden(tree, spec.forbidden)
    if forbidden is not None:
        return RunReport(
            "forbidden",
            f"Line {forbidden.line} uses {forbidden.described}, which this exercise "
            "does not allow: write the computation yourself.",
            line=forbidden.line,
        )
    return None


def _failed(spec: ExerciseSpec, outcome: RunOutcome, elapsed: float) -> RunReport:
    """A run that ended without results: the grader's words for it."""
    report = failed_run(spec, outcome, elapsed)
    shown = None if report.verdict == "forbidden" else outcome
    return _from_verdict(
        report.verdict,
        report.message,
        shown,
        elapsed,
        traceback=report.traceback,
        line=outcome.line,
        column=outcome.column,
    )


def _from_verdict(
    verdict: str,
    message: str,
    outcome: RunOutcome | None,
    elapsed: float,
    **extra: Any,
) -> RunReport:
    status = next((known for known in get_args(RunStatus) if known == verdict), None)
    printed = _within_budget(
        [outcome.stdout, outcome.stderr] if outcome is not None else ["", ""]
    )
    return RunReport(
        status or "runtime_error",
        message,
        stdout=printed[0],
        stderr=printed[1],
        duration_ms=elapsed,
        missing_isolation=outcome.missing_isolation if outcome else (),
        **extra,
    )


def _judged(
    spec: ExerciseSpec,
    inputs: Sequence[Case],
    expected: Sequence[Any] | None,
    results: list[dict[str, Any]],
    outcome: RunOutcome,
    elapsed: float,
) -> RunReport:
    wanted: Sequence[Any] = expected if expected is not None else [None] * len(inputs)
    printed = _within_budget(
        [_text(raw.get("stdout")) for raw in results] + [outcome.stdout, outcome.stderr]
    )
    cases = tuple(
        _example(spec, case, want, raw, expected is not None, text)
        for case, want, raw, text in zip(inputs, wanted, results, printed, strict=False)
    )
    report = RunReport(
        "ok",
        "",
        cases=cases,
        laws=_laws(spec, inputs, results),
        stdout=printed[-2],
        stderr=printed[-1],
        traceback=next((case.error for case in cases if case.error), ""),
        duration_ms=elapsed,
        missing_isolation=outcome.missing_isolation,
    )
    return replace(report, message=report.summary())


def _example(
    spec: ExerciseSpec,
    case: Case,
    expected: Any,
    raw: dict[str, Any],
    compare: bool,
    printed: str,
) -> ExampleRun:
    common: dict[str, Any] = {
        "name": case.name,
        "label": case.label,
        "inputs": jsonable(case.kwargs),
        "expected": jsonable(expected) if compare else None,
        "stdout": printed,
        "duration_ms": round(raw["ms"], 1) if type(raw.get("ms")) is float else None,
    }
    if not raw.get("ok"):
        error = clip_text(_text(raw.get("error")))
        return ExampleRun(
            ok=False,
            matched=False if compare else None,
            message=f"raised {_last_line(error)}",
            error=error,
            **common,
        )
    got = raw.get("value")
    verdict = _compare(spec, expected, got) if compare else None
    return ExampleRun(
        ok=True,
        got=jsonable(got),
        kind=kind_of(got),
        matched=verdict.passed if verdict else None,
        message=verdict.message if verdict else "",
        max_abs_error=verdict.max_abs_error if verdict else None,
        **common,
    )


def _compare(spec: ExerciseSpec, expected: Any, got: Any) -> Outcome:
    try:
        return spec.compare(expected, got)
    except Exception as exc:  # noqa: BLE001 - a comparator must not crash a run
        return Outcome(False, 0.0, f"could not compare your output: {exc}")


def _laws(
    spec: ExerciseSpec, inputs: Sequence[Case], results: list[dict[str, Any]]
) -> tuple[LawCheck, ...]:
    """Every law of the spec on these outputs (None where a call raised)."""
    outputs = [raw.get("value") if raw.get("ok") else None for raw in results]
    checks = []
    for law in spec.properties:
        try:
            problem = law.check(inputs, outputs)
        except Exception:  # noqa: BLE001 - a law that cannot be evaluated says nothing
            problem = None
        checks.append(
            LawCheck(law.id, law.description, bool(problem), clip_text(problem or ""))
        )
    return tuple(checks)


def kind_of(value: Any, depth: int = 0) -> str:
    """What a returned value is, in words: "an array of shape (2, 3), float64"."""
    if isinstance(value, np.ndarray):
        return f"an array of shape {tuple(value.shape)}, {value.dtype}"
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return f"a dictionary of {len(value)} entries"
    if isinstance(value, (list, tuple)):
        return _sequence_kind(value, depth)
    return f"a value of type {type(value).__name__}"


def _sequence_kind(value: list[Any] | tuple[Any, ...], depth: int) -> str:
    noun = type(value).__name__
    try:
        array = np.asarray(value)
    except (ValueError, TypeError):
        array = None
    if array is not None and array.dtype.kind in "iuf" and array.size:
        return f"a {noun} of shape {tuple(array.shape)}"
    if isinstance(value, tuple) and 0 < len(value) <= 4 and depth == 0:
        parts = "; ".join(kind_of(item, depth + 1) for item in value)
        return f"a tuple of {len(value)}: {parts}"
    return f"a {noun} of length {len(value)}"


def _within_budget(texts: list[str]) -> list[str]:
    """The texts in order, cut so that together they stay within
    MAX_PRINTED_CHARS; a cut text ends with a visible mark."""
    room = MAX_PRINTED_CHARS
    kept = []
    for text in texts:
        if len(text) <= room:
            kept.append(text)
            room -= len(text)
        else:
            kept.append(text[: max(room, 0)] + ("\n" + TRUNCATED if text else ""))
            room = 0
    return kept


def _text(value: Any) -> str:
    return value if type(value) is str else ""


def _last_line(error: str) -> str:
    last = error.strip().splitlines()[-1] if error.strip() else "an error"
    if "MemoryError" in last or "can't allocate memory" in last:
        return "memory limit exceeded (MemoryError)"
    return clip_text(last, 500)
