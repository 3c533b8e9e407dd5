"""Grading one exercise's source: the one path that submissions and regrades
share, whatever kind of exercise it is."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.conf import settings

from engine.sandbox.types import Limits
from exercises.models import CodingExercise

if TYPE_CHECKING:
    from engine.grader import Progress, Runner
    from engine.report import Report
    from engine.specs import ExerciseSpec


class NotGradable(KeyError):
    """An instructor's own exercise without validated cases: nothing to grade
    against yet (a KeyError, like an unknown engine spec)."""


def grade_exercise(
    exercise: CodingExercise,
    source: str,
    *,
    seed: int,
    on_progress: Progress | None = None,
    runner: Runner | None = None,
) -> Report:
    """Grade `source` for `exercise` in the sandbox. An engine spec makes its
    cases from `seed`; an instructor's own exercise uses the cases stored at
    validation, the same for everyone. Raises KeyError when the exercise names
    an engine spec that does not exist or has no stored cases."""
    import engine

    return engine.grade(
        spec_for(exercise),
        source,
        seed=seed,
        limits=limits_for(exercise),
        on_progress=on_progress,
        runner=runner,
    )


def spec_for(exercise: CodingExercise) -> ExerciseSpec:
    """The engine spec, or one built from the own exercise's stored cases."""
    import engine
    from engine.stored import stored_spec

    if exercise.engine_spec:
        return engine.get_spec(exercise.engine_spec)
    if not exercise.generated_cases:
        raise NotGradable(f"{exercise.slug} has no validated cases yet")
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


def limits_for(exercise: CodingExercise) -> Limits:
    """The spec's limits with the site's CPU, wall-clock and memory defaults,
    then the instructor's overrides for this exercise."""
    import engine

    try:
        # An own exercise has no spec: skip loading every spec to learn that.
        base = (
            engine.get_spec(exercise.engine_spec).limits
            if exercise.engine_spec
            else Limits()
        )
    except KeyError:
        base = Limits()
    limits = replace(
        base,
        cpu_seconds=settings.SANDBOX_CPU_SECONDS,
        wall_seconds=settings.SANDBOX_WALL_SECONDS,
        memory_mb=settings.SANDBOX_MEMORY_MB,
    )
    overrides = {
        key: LIMIT_FIELDS[key](value)
        for key, value in (exercise.limits or {}).items()
        if key in LIMIT_FIELDS
    }
    return replace(limits, **overrides)
