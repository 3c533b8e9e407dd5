"""Judging a run's outputs, in the trusted process: each case compared with
the reference's output, the score, and for a failing submission the named
mistake it reproduces and the properties its outputs break."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from engine.compare import Outcome
from engine.report import (
    MAX_TEXT_CHARS,
    BrokenProperty,
    CaseResult,
    MistakeMatch,
    Report,
    clip_text,
    jsonable,
    report_for,
)
from engine.run_verdicts import forbidden_report
from engine.sandbox.types import RunOutcome
from engine.specs import ExerciseSpec, Mistake
from engine.specs.base import Case


def judge(
    spec: ExerciseSpec,
    cases: Sequence[Case],
    expected: list[Any],
    raw_results: list[dict[str, Any]],
    outcome: RunOutcome,
    elapsed: float,
) -> Report:
    """The report on results matched one to one with `cases`; `outcome` is
    the run the student is shown."""
    for raw in raw_results:
        if "ForbiddenCallError" in str(raw.get("error", "")):
            return forbidden_report(spec, str(raw["error"]), outcome)
    results = [
        _case_result(case, want, raw, spec)
        for case, want, raw in zip(cases, expected, raw_results, strict=True)
    ]
    score = sum(result.score for result in results) / len(results) if results else 0.0
    failures = [result for result in results if not result.passed]
    if not failures:
        return report_for(
            spec.id,
            "passed",
            score=1.0,
            message=f"All {len(results)} cases passed.",
            cases=tuple(results),
            outcome=outcome,
            duration_ms=elapsed,
        )
    mistake = _match_mistake(spec, cases, raw_results)
    broken = _broken_properties(spec, cases, raw_results)
    visible = [result for result in failures if not result.hidden]
    visible_errors = [result.error for result in visible if result.error]
    message = f"{len(results) - len(failures)} of {len(results)} cases passed."
    if visible:
        first = visible[0]
        label = f" ({first.label})" if first.label else ""
        message += f" First failure, {first.name}{label}: {first.message}"
    hidden_failures = len(failures) - len(visible)
    if hidden_failures:
        message += f" {hidden_failures} hidden case(s) failed."
    if mistake is not None:
        message += f" This matches a known mistake: {mistake.title}."
    for item in broken:
        message += f" Broken property: {item.description} ({item.message})."
    memory = any("memory limit exceeded" in result.message for result in failures)
    return report_for(
        spec.id,
        "memory_limit" if memory and not mistake else "failed",
        score=round(score, 6),
        message=message,
        cases=tuple(results),
        mistake=mistake,
        properties=broken,
        traceback=visible_errors[0] if visible_errors else "",
        outcome=outcome,
        duration_ms=elapsed,
    )


def _case_result(
    case: Case, expected: Any, raw: dict[str, Any], spec: ExerciseSpec
) -> CaseResult:
    common = {
        "name": case.name,
        "hidden": case.hidden,
        "label": case.label,
        "inputs": jsonable(case.kwargs),
        "expected": jsonable(expected),
        "duration_ms": round(raw["ms"], 1) if type(raw.get("ms")) is float else None,
        "stdout": clip_text(raw["stdout"]) if type(raw.get("stdout")) is str else "",
    }
    if not raw.get("ok"):
        error = str(raw.get("error", ""))[: 4 * MAX_TEXT_CHARS]
        last = error.strip().splitlines()[-1] if error.strip() else "an error"
        last, error = clip_text(last, 500), clip_text(error)
        if "MemoryError" in last or "can't allocate memory" in last:
            last = "memory limit exceeded (MemoryError)"
        elif "ForbiddenCallError" in last:
            last = last.split(": ", 1)[-1]
        return CaseResult(
            passed=False, score=0.0, message=f"raised {last}", error=error, **common
        )
    got = raw.get("value")
    try:
        result: Outcome = spec.compare(expected, got)
    except Exception as exc:  # noqa: BLE001 - a comparator must not crash a report
        result = Outcome(False, 0.0, f"could not compare your output: {exc}")
    return CaseResult(
        passed=result.passed,
        score=result.score,
        message=result.message,
        got=jsonable(got),
        max_abs_error=result.max_abs_error,
        **common,
    )


def _broken_properties(
    spec: ExerciseSpec, cases: Sequence[Case], raw_results: list[dict[str, Any]]
) -> tuple[BrokenProperty, ...]:
    outputs = [raw.get("value") if raw.get("ok") else None for raw in raw_results]
    broken = []
    for law in spec.properties:
        try:
            problem = law.check(cases, outputs)
        except Exception:  # noqa: BLE001 - a law that cannot be evaluated says nothing
            problem = None
        if problem:
            hidden = {case.name for case in cases if case.hidden}
            if any(problem.startswith(f"{name}:") for name in hidden):
                problem = "on a hidden case"
            broken.append(BrokenProperty(law.id, law.description, problem))
    return tuple(broken)


def _match_mistake(
    spec: ExerciseSpec, cases: Sequence[Case], raw_results: list[dict[str, Any]]
) -> MistakeMatch | None:
    """The named mistake whose outputs the submission reproduces on every case."""
    for mistake in spec.mistakes:
        if _reproduces(mistake, spec, cases, raw_results):
            return MistakeMatch(mistake.id, mistake.title, mistake.explanation)
    return None


def _reproduces(
    mistake: Mistake,
    spec: ExerciseSpec,
    cases: Sequence[Case],
    raw_results: list[dict[str, Any]],
) -> bool:
    for case, raw in zip(cases, raw_results, strict=True):
        if not raw.get("ok"):
            return False
        try:
            wrong = mistake.function(**copy.deepcopy(case.kwargs))
        except Exception:  # noqa: BLE001 - the variant may fail where the student's did not
            return False
        if not spec.compare(wrong, raw.get("value")).passed:
            return False
    return bool(cases)
