"""Hint ladders for a failed submission: three levels, from pointing to
bottom-out (Andes' hint sequences), keyed to what the grader found.

A named mistake brings its own ladder (`Mistake.hints`: point, explanation,
fix). A failure with no name gets a generic ladder by failure class, written
from what the report and the spec already know: an exception (shapes), a
broken property (the law's own words), a time or memory limit (complexity),
a wrong visible case (the difference) or wrong hidden cases only (the
situations the visible cases name). A submission that was not graded (syntax
error, forbidden call, missing function, interference) gets no ladder.

What a ladder may quote, it takes from the visible cases named in
`open_cases` (those the viewer sees in full) and from the spec's own words;
nothing of a hidden case but that it failed. Hints are Markdown; text that
comes from a run is quoted in code spans.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from engine.hints import exceptions, outputs
from engine.hints.words import (
    GENERIC,
    LEVEL_NAMES,
    LEVELS,
    HintLadder,
    case_name,
    clipped,
    code,
    first_failing,
    is_open,
)
from engine.report import CaseResult, Report
from engine.specs.base import ExerciseSpec

__all__ = [
    "GENERIC",
    "LEVELS",
    "LEVEL_NAMES",
    "HintLadder",
    "failure_class",
    "ladder_for",
    "named_ladder",
]

Generic = Callable[[ExerciseSpec, Report, list[CaseResult], int], HintLadder]
_GENERIC: dict[str, Generic] = {
    "exception": exceptions.exception_ladder,
    "property": outputs.property_ladder,
    "timeout": outputs.timeout_ladder,
    "memory": outputs.memory_ladder,
    "visible": outputs.visible_ladder,
    "hidden": outputs.hidden_ladder,
}


def ladder_for(
    spec: ExerciseSpec,
    report: Report,
    *,
    seed: int = 0,
    open_cases: Collection[str] = (),
) -> HintLadder | None:
    """The ladder for `report` (a failed grading of `spec` at `seed`), or None
    when the submission passed or was not graded."""
    if report.verdict == "passed" or not report.gradable:
        return None
    if report.mistake is not None:
        named = named_ladder(spec, report.mistake.id, report, open_cases)
        if named is not None:
            return named
    kind = failure_class(report)
    if kind is None:
        return None
    shown = [case for case in report.cases if is_open(case, open_cases)]
    return _GENERIC[kind](spec, report, shown, seed)


def failure_class(report: Report) -> str | None:
    """exception, property, timeout, memory, visible or hidden; None for a
    verdict that gets no generic ladder."""
    simple = {"time_limit": "timeout", "memory_limit": "memory"}
    if report.verdict in simple:
        return simple[report.verdict]
    if report.verdict == "runtime_error":
        return "exception"
    failing = [case for case in report.cases if not case.passed]
    if report.verdict != "failed" or not failing:
        return None
    if any(case.message.startswith("raised ") for case in failing):
        return "exception"
    if report.properties:
        return "property"
    if any(not case.hidden for case in failing):
        return "visible"
    return "hidden"


def named_ladder(
    spec: ExerciseSpec,
    mistake_id: str,
    report: Report | None = None,
    open_cases: Collection[str] = (),
) -> HintLadder | None:
    """The named mistake's own ladder; level 2 adds the visible case where
    the submission showed it, when the viewer sees that case in full."""
    mistake = next((item for item in spec.mistakes if item.id == mistake_id), None)
    if mistake is None:
        return None
    point = mistake.point or (
        f"Your code reproduces a known mistake: {mistake.title}. "
        "Find the step of your computation it names."
    )
    teach = mistake.explanation
    failing = first_failing(report.cases if report else (), open_cases)
    if failing is not None:
        teach += f"\n\nSee it on the visible case {case_name(failing)}: " + code(
            failing.message
        )
    hints = (point, teach, mistake.fix) if mistake.fix else (point, teach)
    return HintLadder(mistake.id, mistake.title, clipped(hints))
