"""A coding exercise's named mistakes: how often each is the diagnosis of a
failing first submission, and which hint levels helped students past it
(hint_effects).

A submission counts when it was graded and could be run (its report is not
`gradable: false`: a syntax error or a forbidden call is no attempt). A
student's first submission is the first that counts, ever; it is read when
it falls in the days chosen. The diagnosis is the report's `mistake` (id and
title, as the engine's MistakeMatch stores them).
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet
from django.db.models.fields.json import KT

import engine
from exercises.models import CodingExercise, HintReveal, Submission
from tutor.analysis import hint_effects
from tutor.analysis.hint_effects import GENERIC, Graded, MistakeEffects, Reveal
from tutor.analysis.scope import Scope

log = logging.getLogger(__name__)

# The latest graded submissions (and hint reveals) read for the hint effects.
MAX_SUBMISSIONS = 20_000
PASSED = "passed"


@dataclass(frozen=True)
class MistakeRow:
    id: str
    title: str
    declared: bool  # the exercise's spec names it
    first: int  # failing first submissions diagnosed with it
    share: float | None  # of the failing first submissions
    effects: MistakeEffects

    @property
    def levels(self) -> list[hint_effects.LevelEffect]:
        return list(self.effects.levels.values())


@dataclass(frozen=True)
class ExerciseMistakes:
    exercise: CodingExercise
    first_passed: int
    first_failed: int
    first_unnamed: int  # failing first submissions with no named mistake
    graded: int  # graded submissions read for the hint effects
    capped: bool  # more graded submissions exist than were read
    mistakes: tuple[MistakeRow, ...]
    generic: tuple[tuple[str, MistakeEffects], ...]

    @property
    def students(self) -> int:
        return self.first_passed + self.first_failed


def exercise_mistakes(
    *, exercise: CodingExercise, scope: Scope, limit: int = MAX_SUBMISSIONS
) -> ExerciseMistakes:
    counted = _counted(exercise, scope)
    passed, failed, diagnosed, titles = _first_submissions(counted, scope)
    graded = _graded(counted.filter(scope.window()), limit + 1)
    capped, graded = len(graded) > limit, graded[:limit]
    found = hint_effects.effects(graded, _reveals(exercise, scope, limit))
    declared = _declared(exercise)
    titles = {**titles, **declared}
    ids = list(declared) + [key for key, _ in diagnosed.most_common()]
    ids += sorted(key for key in found if not key.startswith(GENERIC))
    rows = [
        MistakeRow(
            key,
            titles.get(key, key),
            key in declared,
            diagnosed[key],
            diagnosed[key] / failed if failed else None,
            found.get(key, MistakeEffects()),
        )
        for key in dict.fromkeys(ids)
    ]
    rows.sort(key=lambda row: (-row.first, -row.effects.episodes))
    return ExerciseMistakes(
        exercise=exercise,
        first_passed=passed,
        first_failed=failed,
        first_unnamed=failed - sum(diagnosed.values()),
        graded=len(graded),
        capped=capped,
        mistakes=tuple(rows),
        generic=tuple(
            sorted(
                (key, value) for key, value in found.items() if key.startswith(GENERIC)
            )
        ),
    )


def _counted(exercise: CodingExercise, scope: Scope) -> QuerySet[Submission]:
    """The exercise's graded submissions that count as attempts, in scope
    (of any day)."""
    # Not `exclude(report__gradable=False)`: SQL's NULL for a report without
    # the key would leave that submission out too.
    runnable = ~Q(report__has_key="gradable") | Q(report__gradable=True)
    return scope.students(
        Submission.objects.filter(
            runnable, exercise=exercise, status=Submission.Status.DONE
        )
    )


def _first_submissions(
    counted: QuerySet[Submission], scope: Scope
) -> tuple[int, int, Counter[str], dict[str, str]]:
    """(passed, failed, failing firsts per mistake id, a title per id)."""
    firsts = counted.values("user").annotate(first=Min("id")).values("first")
    grouped = (
        Submission.objects.filter(scope.window(), pk__in=firsts)
        .annotate(
            verdict=KT("report__verdict"),
            key=KT("report__mistake__id"),
            title=KT("report__mistake__title"),
        )
        .values("verdict", "key", "title")
        .annotate(n=Count("id"))
        .values_list("verdict", "key", "title", "n")
    )
    passed, failed = 0, 0
    diagnosed: Counter[str] = Counter()
    named: dict[str, Counter[str]] = defaultdict(Counter)
    for verdict, key, title, n in grouped:
        if verdict == PASSED:
            passed += n
            continue
        failed += n
        if key:
            diagnosed[key] += n
            named[key][title or key] += n
    return passed, failed, diagnosed, _titles(named)


def _titles(named: dict[str, Counter[str]]) -> dict[str, str]:
    return {key: titles.most_common(1)[0][0] for key, titles in named.items()}


def _graded(counted: QuerySet[Submission], limit: int) -> list[Graded]:
    rows = (
        counted.annotate(verdict=KT("report__verdict"), key=KT("report__mistake__id"))
        .order_by("-id")
        .values_list("id", "user_id", "created_at", "verdict", "key")[:limit]
    )
    return [
        Graded(pk, user, at, verdict == PASSED, "" if verdict == PASSED else key or "")
        for pk, user, at, verdict, key in rows
    ]


def _reveals(exercise: CodingExercise, scope: Scope, limit: int) -> list[Reveal]:
    rows = (
        scope.students(HintReveal.objects.filter(exercise=exercise))
        .order_by("-id")
        .values_list("user_id", "mistake_id", "level", "created_at", "submission_id")[
            :limit
        ]
    )
    return [
        Reveal(user, mistake, level, at, submission, scope.covers(at))
        for user, mistake, level, at, submission in rows
    ]


def _declared(exercise: CodingExercise) -> dict[str, str]:
    """The named mistakes of the exercise's engine spec, id to title, in the
    spec's order (none for an instructor's own exercise)."""
    if not exercise.engine_spec:
        return {}
    try:
        spec = engine.get_spec(exercise.engine_spec)
    except KeyError:
        log.warning("%s names a missing engine spec", exercise.slug)
        return {}
    return {mistake.id: mistake.title for mistake in spec.mistakes}
