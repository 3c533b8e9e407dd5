"""The worked examples of a coding exercise: its visible cases with the
reference's outputs, shown under the statement and run by "Run".

An engine spec's cases are drawn at EXAMPLES_SEED, the same for every
student, and the reference computes their outputs here, in the trusted
process (once per process and spec); an instructor's own exercise uses the
cases and outputs stored when it was validated. An example is a visible case
whose details the exercise's feedback policy shows in full ("all") now: a
hidden case, or a visible one the instructor keeps back, is never one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from exercises.coding.grader import NotGradable, spec_for
from exercises.coding.report.policy import case_detail
from exercises.models import CodingExercise

if TYPE_CHECKING:
    from engine.specs import ExerciseSpec
    from engine.specs.base import Case

# Students all see the same examples: the engine specs' fixed cases and the
# random visible ones drawn from this seed.
EXAMPLES_SEED = 0


@dataclass(frozen=True)
class WorkedExample:
    """One visible case and the reference's output on it."""

    case: Case
    expected: Any

    @property
    def name(self) -> str:
        return self.case.name

    @property
    def label(self) -> str:
        return self.case.label

    @property
    def inputs(self) -> dict[str, Any]:
        return self.case.kwargs


def examples_with_spec(
    exercise: CodingExercise, *, now: datetime | None = None
) -> tuple[ExerciseSpec, list[WorkedExample]]:
    """The exercise's spec and its worked examples at `now`. Raises
    NotGradable when the exercise has no spec to run (an unknown engine spec,
    an own exercise not validated yet)."""
    spec = spec_for(exercise)
    candidates: list[WorkedExample]
    if exercise.engine_spec:
        candidates = copy.deepcopy(list(_engine_examples(spec.id)))
    else:
        candidates = _stored_examples(spec)
    moment = now or timezone.now()
    shown = [
        example
        for example in candidates
        if case_detail(exercise, name=example.name, hidden=False, now=moment) == "all"
    ]
    return spec, shown


def worked_examples(
    exercise: CodingExercise, *, now: datetime | None = None
) -> list[WorkedExample]:
    """The worked examples, or none when the exercise cannot be run now."""
    try:
        return examples_with_spec(exercise, now=now)[1]
    except NotGradable:
        return []


@lru_cache(maxsize=128)
def _engine_examples(spec_id: str) -> tuple[WorkedExample, ...]:
    """The visible cases at EXAMPLES_SEED and the reference's outputs (a few
    milliseconds each; computed once per process and spec)."""
    import engine

    spec = engine.get_spec(spec_id)
    return tuple(
        WorkedExample(case, spec.reference(**copy.deepcopy(case.kwargs)))
        for case in spec.cases(EXAMPLES_SEED)
        if not case.hidden
    )


def _stored_examples(spec: ExerciseSpec) -> list[WorkedExample]:
    """An own exercise's visible stored cases and their stored outputs."""
    cases = spec.cases(EXAMPLES_SEED)
    outputs = spec.expected or ()
    return [
        WorkedExample(case, output)
        for case, output in zip(cases, outputs, strict=True)
        if not case.hidden
    ]
