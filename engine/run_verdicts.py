"""Verdicts on a sandboxed run itself, before any output is compared.

A run may end without results (the runner's failure statuses: a syntax error,
a time or memory limit, a crash), have a forbidden routine refused at run
time, or report results that do not answer the cases sent one to one. The
child is the student's process: what it says about itself is never believed,
and nothing of a hidden cases' run reaches the student.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from engine.report import Report, Verdict, report_for
from engine.sandbox.forbidden import read_refusal
from engine.sandbox.types import RunOutcome
from engine.specs import ExerciseSpec

_RUN_FAILURES: dict[str, tuple[Verdict, bool, str]] = {
    # runner status -> (verdict, gradable, headline)
    "syntax_error": ("syntax_error", False, "Syntax error"),
    "missing_entry_point": ("missing_entry_point", False, "Missing function"),
    "wrong_signature": ("wrong_signature", False, "Wrong signature"),
    "import_error": ("runtime_error", True, "Runtime error while loading your code"),
    "time_limit": ("time_limit", True, "Time limit exceeded"),
    "memory_limit": ("memory_limit", True, "Memory limit exceeded"),
    "output_limit": ("output_limit", True, "Output limit exceeded"),
    "crashed": ("runtime_error", True, "Your code crashed the process"),
    "no_result": ("runtime_error", True, "No result"),
}

_HIDDEN_RUN_FAILURES = {
    "time_limit": "on the hidden cases",
    "memory_limit": "on the hidden cases",
    "output_limit": "on the hidden cases",
    "crashed": "on the hidden cases",
    "no_result": "on the hidden cases: the run ended without a result",
}


def matched(
    raw_results: list[dict[str, Any]], count: int
) -> list[dict[str, Any]] | None:
    """The child's results in case order, or None unless there is exactly one
    result per case sent, each naming its case. The child is the student's
    process: a missing, extra, duplicated or unmatched result means the code
    interfered with the runtime that reports for it."""
    if len(raw_results) != count:
        return None
    by_case: dict[int, dict[str, Any]] = {}
    for raw in raw_results:
        case = raw.get("case")
        if type(case) is not int or not 0 <= case < count or case in by_case:
            return None
        by_case[case] = raw
    return [by_case[index] for index in range(count)]


def interfered(
    spec: ExerciseSpec,
    sent: int,
    outcome: RunOutcome,
    elapsed: float,
    shown: RunOutcome | None,
) -> Report:
    """The verdict on results that `matched` refused: nothing is graded."""
    got = len(outcome.results)
    return report_for(
        spec.id,
        "interfered",
        message=(
            "Your code interfered with grading: the grader sent "
            f"{sent} case(s) and the run reported {got} result(s) that do not match "
            "them one to one (missing, extra, repeated or unmatched). Nothing was "
            "graded; this submission scores 0."
        ),
        outcome=shown,
        duration_ms=elapsed,
    )


def forbidden_report(spec: ExerciseSpec, error: str, outcome: RunOutcome) -> Report:
    """The child refused a forbidden routine at run time. Its error text is the
    student's to write: the report names what was used only when that is a
    name this exercise forbids, and carries nothing else the child produced
    (no printed output, which the hidden cases' run may have filled)."""
    what = read_refusal(error, spec.forbidden) or "a routine this exercise forbids"
    return report_for(
        spec.id,
        "forbidden",
        gradable=False,
        message=f"Your code used {what}, which this exercise does not allow: "
        "write the computation yourself.",
        outcome=replace(outcome, stdout="", stderr=""),
    )


def failed_run(
    spec: ExerciseSpec,
    outcome: RunOutcome,
    elapsed: float,
    hidden: bool = False,
    shown: RunOutcome | None = None,
) -> Report:
    """A run that ended without results. When it was the hidden cases' run,
    nothing of that child (its error text, its printed output) is passed on:
    the student's code could have written the hidden inputs there."""
    if "ForbiddenCallError" in outcome.error:
        return forbidden_report(spec, outcome.error, outcome)
    verdict, gradable, headline = _RUN_FAILURES[outcome.status]
    detail = outcome.error.strip().splitlines()[-1] if outcome.error.strip() else ""
    if outcome.status == "syntax_error" and outcome.line:
        detail += f" (line {outcome.line}, column {outcome.column})"
    if hidden:
        detail = _HIDDEN_RUN_FAILURES.get(outcome.status, "")
    return report_for(
        spec.id,
        verdict,
        gradable=gradable,
        message=_headed(headline, detail),
        traceback=outcome.error
        if outcome.status == "import_error" and not hidden
        else "",
        outcome=shown if hidden and shown is not None else outcome,
        duration_ms=elapsed,
    )


def _headed(headline: str, detail: str) -> str:
    """'Headline: detail', without saying the headline twice when the detail
    starts with it ("Time limit exceeded: more than 5 s of CPU time")."""
    if not detail:
        return headline
    if detail.lower().startswith(headline.lower()):
        rest = detail[len(headline) :].lstrip(": ")
        if not rest:
            return headline
        return f"{headline} {rest}" if rest.startswith("(") else f"{headline}: {rest}"
    if detail.startswith("on the hidden cases"):
        return f"{headline} {detail}"
    return f"{headline}: {detail}"
