"""The one adapter between the site and the engine: grading one exercise's
source, whatever kind of exercise it is, in one trip.

An engine spec makes its cases from the seed; an instructor's own exercise
uses the cases stored at validation, the same for everyone. An exercise that
cannot be graded raises `NotGradable` (by type, never a bare KeyError from
somewhere inside the engine); every fault of the submitted code itself is in
the returned report.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.conf import settings

from engine.fitted_limits import limits_with_cpu
from engine.sandbox.types import Limits
from exercises.models import CodingExercise

if TYPE_CHECKING:
    from engine.grader import Progress, Runner
    from engine.report import Report
    from engine.specs import ExerciseSpec


class NotGradable(Exception):
    """The exercise itself cannot be graded now; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownSpec(NotGradable):
    """The exercise names an engine spec that does not exist."""


class NoValidatedCases(NotGradable):
    """An own exercise without validated cases: nothing to grade against."""


def grade(
    exercise: CodingExercise,
    source: str,
    *,
    seed: int,
    on_progress: Progress | None = None,
    runner: Runner | None = None,
) -> Report:
    """Grade `source` for `exercise` in the sandbox: one spec lookup, the
    exercise's limits, one call into the engine."""
    import engine

    spec = spec_for(exercise)
    return engine.grade(
        spec,
        source,
        seed=seed,
        limits=limits_for(exercise, spec),
        on_progress=on_progress,
        runner=runner,
    )


def spec_for(exercise: CodingExercise) -> ExerciseSpec:
    """The engine spec, or one built from the own exercise's stored cases."""
    import engine
    from engine.stored import stored_spec

    if exercise.engine_spec:
        try:
            return engine.get_spec(exercise.engine_spec)
        except KeyError:
            raise UnknownSpec(
                f"{exercise.slug} names the engine spec {exercise.engine_spec!r}, "
                "which does not exist"
            ) from None
    if not exercise.generated_cases:
        raise NoValidatedCases(f"{exercise.slug} has no validated cases yet")
    return stored_spec(
        exercise_id=exercise.slug,
        title=exercise.title,
        entry_point=exercise.entry_point.strip(),
        cases=exercise.generated_cases,
        tolerance=exercise.tolerance,
    )


LIMIT_FIELDS = {
    "cpu_seconds": float,
    "wall_seconds": float,
    "memory_mb": int,
    "processes": int,
}


def limits_for(exercise: CodingExercise, spec: ExerciseSpec | None = None) -> Limits:
    """The spec's limits (its CPU and wall-clock limits fitted to what correct
    solutions cost, engine/fitted_limits.py) under the site's caps
    (SANDBOX_CPU_SECONDS, SANDBOX_WALL_SECONDS) with the site's memory, then
    the instructor's overrides for this exercise. Pass the spec when it is at
    hand; an own exercise starts from its limit fitted when it was validated
    (50 times its reference's CPU time, 1–5 s) under the same caps, an
    unknown spec from the site's limits."""
    if spec is None and exercise.engine_spec:
        try:
            spec = spec_for(exercise)
        except NotGradable:
            spec = None
    if spec is not None and exercise.engine_spec:
        base = spec.limits
        cpu = min(base.cpu_seconds, settings.SANDBOX_CPU_SECONDS)
        wall = min(base.wall_seconds, settings.SANDBOX_WALL_SECONDS)
    else:
        base = Limits()
        cpu, wall = settings.SANDBOX_CPU_SECONDS, settings.SANDBOX_WALL_SECONDS
        fitted = (exercise.validation_report or {}).get("fitted_cpu_seconds")
        if not exercise.engine_spec and isinstance(fitted, int | float) and fitted > 0:
            # An own exercise's limit, fitted to its reference when validated.
            fitted_limits = limits_with_cpu(base, float(fitted))
            cpu = min(fitted_limits.cpu_seconds, cpu)
            wall = min(fitted_limits.wall_seconds, wall)
    limits = replace(
        base, cpu_seconds=cpu, wall_seconds=wall, memory_mb=settings.SANDBOX_MEMORY_MB
    )
    overrides = {
        key: LIMIT_FIELDS[key](value)
        for key, value in (exercise.limits or {}).items()
        if key in LIMIT_FIELDS
    }
    return replace(limits, **overrides)
