"""The steps of validating an instructor's own exercise, in the sandbox.

Nothing here writes to the database: `validation_run` returns the outcome and
`exercises.coding.own_exercises.validation.exercise_validate` stores it. The steps stop at
the first failure; each records what it checked, its message and its time.
"""

from __future__ import annotations

import copy
import keyword
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from engine.authoring import SEEDS, AuthoringError, GeneratedCase
from engine.fitted_limits import MULTIPLE_OF_ONE_REFERENCE, fitted_cpu_seconds
from engine.limits_fitting import RecordingRunner
from engine.sandbox.types import Limits
from exercises.coding.grader import grade, limits_for
from exercises.models import CodingExercise

if TYPE_CHECKING:
    from engine.grader import Runner

Validation = CodingExercise.Validation


@dataclass(frozen=True)
class ValidationOutcome:
    passed: bool
    report: dict[str, Any]
    generated_cases: list[dict[str, Any]]
    source_hash: str

    @property
    def problems(self) -> list[str]:
        return [s["message"] for s in self.report["steps"] if s["ok"] is False]


@dataclass
class _Run:
    exercise: CodingExercise
    runner: Runner
    limits: Limits
    cases: list[GeneratedCase] = field(default_factory=list)
    stored: list[dict[str, Any]] = field(default_factory=list)
    reports: dict[str, Any] = field(default_factory=dict)


def validation_run(
    exercise: CodingExercise, *, runner: Runner | None = None
) -> ValidationOutcome:
    """Every step of a validation, stopping at the first that fails. Writes
    nothing: `exercise_validate` stores the outcome."""
    from engine.grader import default_runner

    started = time.perf_counter()
    run = _Run(exercise, runner or default_runner(), limits_for(_unfitted(exercise)))
    steps = [_step(name, check, run) for name, check in _STEPS[:1]]
    for name, check in _STEPS[1:]:
        steps.append(
            _step(name, check, run)
            if steps[-1]["ok"]
            else {"name": name, "ok": None, "message": "not run", "ms": 0.0}
        )
    passed = all(step["ok"] for step in steps)
    failed = [step for step in steps if step["ok"] is False]
    report = {
        "status": Validation.PASSED if passed else Validation.FAILED,
        "summary": failed[0]["message"] if failed else _passed_summary(run),
        "steps": steps,
        "seeds": list(SEEDS),
        "cases": len(run.stored),
        "hidden": sum(1 for case in run.stored if case["hidden"]),
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        **run.reports,
    }
    return ValidationOutcome(passed, report, run.stored, exercise.source_hash())


def _passed_summary(run: _Run) -> str:
    return (
        f"Passed: {len(run.stored)} cases stored; the reference passes them all "
        "through the students' grading path and the starter code does not."
    )


def _step(name: str, check: Callable[[_Run], str], run: _Run) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        message, ok, detail = check(run), True, ""
    except AuthoringError as exc:
        message, ok, detail = exc.message, False, exc.detail
    step = {
        "name": name,
        "ok": ok,
        "message": message,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }
    return {**step, "detail": detail} if detail else step


def _check_fields(run: _Run) -> str:
    exercise = run.exercise
    name = exercise.entry_point.strip()
    if not name.isidentifier() or keyword.iskeyword(name):
        raise AuthoringError(
            f"The entry point must be a function name such as `softmax`, not {name!r}."
        )
    missing = [
        label
        for label, text in (
            ("reference solution", exercise.reference_solution),
            ("case generator", exercise.case_generator),
        )
        if not text.strip()
    ]
    if missing:
        raise AuthoringError(f"Write the {' and the '.join(missing)}.")
    return f"entry point `{name}`; reference and case generator present"


def _generate(run: _Run) -> str:
    from engine.authoring import generate_cases

    run.cases = generate_cases(
        run.exercise.case_generator, runner=run.runner, limits=run.limits
    )
    hidden = sum(case.hidden for case in run.cases)
    seeds = ", ".join(f"cases({seed})" for seed in SEEDS)
    return (
        f"{len(run.cases)} distinct cases ({hidden} hidden) from {seeds}; called "
        "again, in another process, each seed gave the same cases"
    )


def _reference(run: _Run) -> str:
    from engine.authoring import expected_outputs

    outputs = expected_outputs(
        run.exercise.reference_solution,
        run.exercise.entry_point.strip(),
        run.cases,
        runner=run.runner,
        limits=run.limits,
    )
    run.stored = [
        {
            "name": f"case {number}",
            "label": case.label,
            "hidden": case.hidden,
            "inputs": [[name, value] for name, value in case.inputs],
            "expected": output,
        }
        for number, (case, output) in enumerate(
            zip(run.cases, outputs, strict=True), start=1
        )
    ]
    return (
        f"outputs for all {len(outputs)} cases; a second run, in another process "
        "and in the other order, gave identical outputs"
    )


def _unfitted(exercise: CodingExercise) -> CodingExercise:
    """The exercise without its last validation: validating runs under the
    site's limits, never under a limit fitted to an earlier reference."""
    copied = copy.copy(exercise)
    copied.validation_report = {}
    return copied


def _graded(run: _Run, source: str, runner: Runner | None = None) -> Any:
    exercise = _unfitted(run.exercise)
    exercise.entry_point = exercise.entry_point.strip()
    exercise.generated_cases = run.stored
    return grade(exercise, source, seed=0, runner=runner or run.runner)


def _grade_reference(run: _Run) -> str:
    recording = RecordingRunner(run.runner, [])
    report = _graded(run, run.exercise.reference_solution, runner=recording)
    run.reports["reference_report"] = report.to_dict()
    # The time limit students get: fitted to the reference's CPU time, as
    # the course's exercises are (engine/fitted_limits.py).
    run.reports["reference_cpu_ms"] = round(max(recording.cpu_ms, default=0.0), 1)
    run.reports["fitted_cpu_seconds"] = fitted_cpu_seconds(
        run.reports["reference_cpu_ms"], MULTIPLE_OF_ONE_REFERENCE
    )
    run.reports["missing_isolation"] = list(report.missing_isolation)
    if report.verdict != "passed":
        raise AuthoringError(
            "Graded like a student's submission, the reference does not pass its "
            f"own cases: {report.message}"
        )
    return (
        f"passes {report.passed} of {report.total} cases ({report.duration_ms:.0f} ms)"
    )


def _grade_starter(run: _Run) -> str:
    if not run.exercise.starter_code.strip():
        return "no starter code: students start from an empty editor"
    report = _graded(run, run.exercise.starter_code)
    run.reports["starter_report"] = {
        "verdict": report.verdict,
        "score": report.score,
        "message": report.message,
    }
    if report.verdict == "passed":
        raise AuthoringError(
            "The starter code passes every case: a student would get full marks "
            "for submitting it unchanged. Leave the body to the student (e.g. "
            "`raise NotImplementedError`)."
        )
    return f"does not pass, as it should ({report.verdict}, score {report.score:.0%})"


_STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("Check the fields", _check_fields),
    ("Generate the cases", _generate),
    ("Run the reference", _reference),
    ("Grade the reference", _grade_reference),
    ("Grade the starter code", _grade_starter),
)
