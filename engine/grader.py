"""`grade(spec_id, source) -> Report`: the whole judgement of one submission.

Cases are generated and the reference is evaluated here, in the trusted
process; the student's function runs in a child (through a runner) that only
ever sees the cases' inputs; its outputs come back as data and are compared
here. A failing submission is also compared with the spec's named mistakes.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from engine.compare import Outcome
from engine.report import (
    MAX_TEXT_CHARS,
    BrokenProperty,
    CaseResult,
    MistakeMatch,
    Report,
    Verdict,
    clip_text,
    jsonable,
)
from engine.sandbox.types import Job, Limits, RunOutcome
from engine.specs import ExerciseSpec, Mistake, all_specs, get_spec
from engine.specs.base import Case
from engine.static_checks import ParseFailure, find_forbidden, parse
from engine.version import ENGINE_VERSION

if TYPE_CHECKING:
    from engine.sandbox.subprocess_runner import SubprocessRunner
    from engine.sandbox.warm import WarmSandboxRunner


class Runner(Protocol):
    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome: ...


Progress = Callable[[str, int, int], None]  # (phase, cases done, cases in all)


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


_DEFAULT_RUNNER: WarmSandboxRunner | SubprocessRunner | None = None


def default_runner() -> WarmSandboxRunner | SubprocessRunner:
    """The warm sandbox on Linux; a fresh interpreter per job when
    TUTOR_SANDBOX=subprocess (or off Linux). Either report lists the isolation
    layers it lacked."""
    global _DEFAULT_RUNNER
    if _DEFAULT_RUNNER is None:
        if (
            os.environ.get("TUTOR_SANDBOX", "warm") == "subprocess"
            or sys.platform != "linux"
        ):
            from engine.sandbox.subprocess_runner import SubprocessRunner

            _DEFAULT_RUNNER = SubprocessRunner()
        else:
            from engine.sandbox.warm import WarmSandboxRunner

            _DEFAULT_RUNNER = WarmSandboxRunner()
    return _DEFAULT_RUNNER


def warm_up() -> None:
    """Pay the start-up costs before the first job: import the references
    (torch, in this trusted process) and start a sandbox host. About four
    seconds on the development machine that the first grading would
    otherwise add."""
    all_specs()
    default_runner().warm()


def grade(
    spec_id: str | ExerciseSpec,
    source: str,
    *,
    seed: int = 0,
    limits: Limits | None = None,
    runner: Runner | None = None,
    on_progress: Progress | None = None,
) -> Report:
    """Grade `source` against the exercise `spec_id` (or a spec built by the
    caller, such as an instructor's own exercise from its stored cases).

    Raises KeyError for an unknown exercise (a caller's error); every fault of
    the submission itself is reported in the returned `Report`.
    """
    spec = spec_id if isinstance(spec_id, ExerciseSpec) else get_spec(spec_id)
    started = time.perf_counter()
    rejected = _static_verdict(spec, source)
    if rejected is not None:
        return rejected
    cases = spec.cases(seed)
    if not cases:
        raise ValueError(f"{spec.id}: a spec with no case cannot be graded")
    expected = _expected(spec, cases)
    total = len(cases)
    tell = on_progress or (lambda phase, done, total: None)
    tell("running", 0, total)
    run = _Run(spec, source, limits or spec.limits, runner or default_runner())
    results: dict[int, dict[str, Any]] = {}
    shown: RunOutcome | None = None  # the visible cases' run: what a student sees
    for indices, hidden in _groups(cases):
        before = len(results)

        def progress(done: int, before: int = before) -> None:
            tell("running", before + done, total)

        outcome = run([cases[i].kwargs for i in indices], progress)
        shown = shown or outcome
        if outcome.status != "ok":
            return _failed_run(spec, outcome, _since(started), hidden, shown)
        matched = _matched(outcome.results, len(indices))
        if matched is None:
            return _interfered(spec, len(indices), outcome, _since(started), shown)
        results.update(zip(indices, matched, strict=True))
    tell("comparing", total, total)
    assert shown is not None
    ordered = [results[index] for index in range(total)]
    return _judge(spec, cases, expected, ordered, shown, _since(started))


class _Run:
    """One sandboxed run of the submission on some of the cases."""

    def __init__(
        self, spec: ExerciseSpec, source: str, limits: Limits, runner: Runner
    ) -> None:
        self.spec, self.source, self.limits, self.runner = spec, source, limits, runner

    def __call__(
        self, inputs: list[dict[str, Any]], progress: Callable[[int], None]
    ) -> RunOutcome:
        job = Job(self.source, self.spec.entry_point, inputs, self.spec.forbidden)
        return self.runner.run(job, self.limits, progress)


def _groups(cases: Sequence[Case]) -> list[tuple[list[int], bool]]:
    """The visible cases, then the hidden ones: each group runs in a child of
    its own, so no code that sees a visible case ever sees a hidden input
    (it could copy it into a visible case's output or error)."""
    visible = [index for index, case in enumerate(cases) if not case.hidden]
    hidden = [index for index, case in enumerate(cases) if case.hidden]
    return [(group, group is hidden) for group in (visible, hidden) if group]


def _matched(
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


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _expected(spec: ExerciseSpec, cases: Sequence[Case]) -> list[Any]:
    """The reference's outputs: precomputed when the spec carries them."""
    if spec.expected is not None:
        if len(spec.expected) != len(cases):
            raise ValueError(f"{spec.id}: one expected output per case is needed")
        return list(spec.expected)
    return [spec.reference(**copy.deepcopy(case.kwargs)) for case in cases]


def _static_verdict(spec: ExerciseSpec, source: str) -> Report | None:
    tree = parse(source)
    if isinstance(tree, ParseFailure):
        where = f" (line {tree.line}, column {tree.column})" if tree.line else ""
        return _report(
            spec,
            "syntax_error",
            gradable=False,
            message=f"{tree.message}{where}",
            line=tree.line,
            column=tree.column,
        )
    forbidden = find_forbidden(tree, spec.forbidden)
    if forbidden is not None:
        return _report(
            spec,
            "forbidden",
            gradable=False,
            message=(
                f"Line {forbidden.line} uses {forbidden.described}, which this exercise does "
                "not allow: write the computation yourself."
            ),
            line=forbidden.line,
        )
    return None


def _forbidden_report(spec: ExerciseSpec, error: str, outcome: RunOutcome) -> Report:
    """The child refused a forbidden routine at run time. Its error text is the
    student's to write: the report names what was used only when that is a
    name this exercise forbids, and carries nothing else the child produced
    (no printed output, which the hidden cases' run may have filled)."""
    from dataclasses import replace

    from engine.sandbox.forbidden import read_refusal

    what = read_refusal(error, spec.forbidden) or "a routine this exercise forbids"
    return _report(
        spec,
        "forbidden",
        gradable=False,
        message=f"Your code used {what}, which this exercise does not allow: "
        "write the computation yourself.",
        outcome=replace(outcome, stdout="", stderr=""),
    )


def _failed_run(
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
        return _forbidden_report(spec, outcome.error, outcome)
    verdict, gradable, headline = _RUN_FAILURES[outcome.status]
    detail = outcome.error.strip().splitlines()[-1] if outcome.error.strip() else ""
    if outcome.status == "syntax_error" and outcome.line:
        detail += f" (line {outcome.line}, column {outcome.column})"
    if hidden:
        detail = _HIDDEN_RUN_FAILURES.get(outcome.status, "")
    return _report(
        spec,
        verdict,
        gradable=gradable,
        message=_headed(headline, detail),
        traceback=outcome.error
        if outcome.status == "import_error" and not hidden
        else "",
        outcome=shown if hidden and shown is not None else outcome,
        duration_ms=elapsed,
    )


_HIDDEN_RUN_FAILURES = {
    "time_limit": "on the hidden cases",
    "memory_limit": "on the hidden cases",
    "output_limit": "on the hidden cases",
    "crashed": "on the hidden cases",
    "no_result": "on the hidden cases: the run ended without a result",
}


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


def _interfered(
    spec: ExerciseSpec,
    sent: int,
    outcome: RunOutcome,
    elapsed: float,
    shown: RunOutcome | None,
) -> Report:
    got = len(outcome.results)
    return _report(
        spec,
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


def _judge(
    spec: ExerciseSpec,
    cases: Sequence[Case],
    expected: list[Any],
    raw_results: list[dict[str, Any]],
    outcome: RunOutcome,
    elapsed: float,
) -> Report:
    for raw in raw_results:
        if "ForbiddenCallError" in str(raw.get("error", "")):
            return _forbidden_report(spec, str(raw["error"]), outcome)
    results = [
        _case_result(case, want, raw, spec)
        for case, want, raw in zip(cases, expected, raw_results, strict=True)
    ]
    score = sum(result.score for result in results) / len(results) if results else 0.0
    failures = [result for result in results if not result.passed]
    if not failures:
        return _report(
            spec,
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
    return _report(
        spec,
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


def _report(
    spec: ExerciseSpec,
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
    return Report(
        exercise=spec.id,
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
