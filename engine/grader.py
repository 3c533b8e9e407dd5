"""`grade(spec_id, source) -> Report`: the whole judgement of one submission.

Cases are generated and the reference is evaluated here, in the trusted
process; the student's function runs in a child (through a runner) that only
ever sees the cases' inputs; its outputs come back as data and are compared
here. A run that graded nothing gets its verdict from `engine.run_verdicts`;
the outputs are judged, and a failing submission compared with the spec's
named mistakes, by `engine.judging`.
"""

from __future__ import annotations

import copy
import os
import sys
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from engine.judging import judge
from engine.report import Report, report_for
from engine.run_verdicts import failed_run, interfered, matched
from engine.sandbox.types import Job, Limits, RunOutcome
from engine.specs import ExerciseSpec, all_specs, get_spec
from engine.specs.base import Case
from engine.static_checks import ParseFailure, find_forbidden, parse

if TYPE_CHECKING:
    from engine.sandbox.subprocess_runner import SubprocessRunner
    from engine.sandbox.warm import WarmSandboxRunner


class Runner(Protocol):
    def run(
        self, job: Job, limits: Limits, on_progress: Callable[[int], None] | None = None
    ) -> RunOutcome: ...


Progress = Callable[[str, int, int], None]  # (phase, cases done, cases in all)


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


def share_sandbox() -> None:
    """In a process about to fork workers (the Celery worker's main process):
    start the zygote that forks their sandbox hosts, so that torch is loaded
    into one process's memory and shared, not once per host. Nothing to do
    for the fresh-interpreter runner."""
    from engine.sandbox.warm import WarmSandboxRunner, start_zygote

    if isinstance(default_runner(), WarmSandboxRunner):
        start_zygote()


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
            return failed_run(spec, outcome, _since(started), hidden, shown)
        answered = matched(outcome.results, len(indices))
        if answered is None:
            return interfered(spec, len(indices), outcome, _since(started), shown)
        results.update(zip(indices, answered, strict=True))
    tell("comparing", total, total)
    assert shown is not None
    ordered = [results[index] for index in range(total)]
    return judge(spec, cases, expected, ordered, shown, _since(started))


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
        return report_for(
            spec.id,
            "syntax_error",
            gradable=False,
            message=f"{tree.message}{where}",
            line=tree.line,
            column=tree.column,
        )
    forbidden = find_forbidden(tree, spec.forbidden)
    if forbidden is not None:
        return report_for(
            spec.id,
            "forbidden",
            gradable=False,
            message=(
                f"Line {forbidden.line} uses {forbidden.described}, which this exercise does "
                "not allow: write the computation yourself."
            ),
            line=forbidden.line,
        )
    return None
