"""Coding exercises in course order and what a student has solved of them:
the "Next exercise" link after a pass, the solved marks in exercise lists.

Course order is the lecture's topics in their order, and each topic's
exercises in theirs (the models' default ordering). Solved: a graded
submission with the full score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Max

from exercises.models import CodingExercise, Lecture, Submission, Topic
from exercises.selectors import EXERCISE_LIST_DEFERRED, EXERCISE_OPEN

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class ExerciseRow:
    """One exercise of a list; `best` is None when never graded."""

    exercise: CodingExercise
    best: float | None

    @property
    def solved(self) -> bool:
        return self.best is not None and self.best >= 1.0


def best_scores(*, user: User, exercises: Iterable[CodingExercise]) -> dict[int, float]:
    """The best graded score of each exercise the student has submitted."""
    rows = (
        Submission.objects.filter(
            user=user,
            exercise__in=[exercise.pk for exercise in exercises],
            status=Submission.Status.DONE,
        )
        .values("exercise")
        .annotate(best=Max("score"))
    )
    return {row["exercise"]: row["best"] or 0.0 for row in rows}


def exercise_list_for_lecture(*, lecture: Lecture) -> list[CodingExercise]:
    """The lecture's open exercises in course order."""
    return list(
        CodingExercise.objects.filter(EXERCISE_OPEN, topic__lecture=lecture)
        .select_related("topic")
        .defer(*EXERCISE_LIST_DEFERRED)
        .order_by("topic__order", "topic__code", "order", "slug")
    )


class ExerciseLink(NamedTuple):
    """What a link to an exercise shows."""

    slug: str
    title: str


# The lecture's open exercises (EXERCISE_OPEN) in course order, each with
# whether the student has a graded submission at full score. Written in SQL:
# it is read on every exercise page and status poll after a pass, and through
# the ORM (the lecture's exercises as models, then their best scores) it took
# 6.3 ms of CPU against this query's 0.35 on the benchmark machine.
_LECTURE_EXERCISES_SOLVED = """
    SELECT e.id, e.topic_id, e.slug, e.title, EXISTS (
        SELECT 1 FROM exercises_submission s
        WHERE s.exercise_id = e.id AND s.user_id = %s
          AND s.status = %s AND s.score >= 1.0
    )
    FROM exercises_codingexercise e JOIN exercises_topic t ON t.id = e.topic_id
    WHERE t.lecture_id = %s AND e.is_published
      AND (e.engine_spec <> '' OR e.validation_status = %s)
    ORDER BY t."order", t.code, e."order", e.slug
"""


def exercise_next_unsolved(
    *, user: User, exercise: CodingExercise
) -> ExerciseLink | None:
    """The first exercise after `exercise` in its lecture that the student
    has not solved; None when each later one is solved (or there is none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _LECTURE_EXERCISES_SOLVED,
            [
                user.pk,
                Submission.Status.DONE,
                exercise.topic.lecture_id,
                CodingExercise.Validation.PASSED,
            ],
        )
        rows = cursor.fetchall()
    for _pk, _topic, slug, title, solved in rows[_position(rows, exercise) + 1 :]:
        if not solved:
            return ExerciseLink(slug, title)
    return None


def _position(rows: list[tuple[Any, ...]], exercise: CodingExercise) -> int:
    """Where `exercise` stands among the rows (id, topic id, …) in course
    order; an exercise not among them (unpublished, previewed by an
    instructor) stands before the first of its topic."""
    for index, (pk, _topic, *_rest) in enumerate(rows):
        if pk == exercise.pk:
            return index
    for index, (_pk, topic, *_rest) in enumerate(rows):
        if topic == exercise.topic_id:
            return index - 1
    return len(rows)


def lecture_rows(
    *, user: User | AnonymousUser, lecture: Lecture
) -> list[tuple[Topic, list[ExerciseRow]]]:
    """The lecture's exercises topic by topic, each with the student's best
    score (None for everyone when nobody is signed in)."""
    exercises = exercise_list_for_lecture(lecture=lecture)
    best = best_scores(user=user, exercises=exercises) if isinstance(user, User) else {}
    groups: dict[int, tuple[Topic, list[ExerciseRow]]] = {}
    for exercise in exercises:
        topic = exercise.topic
        groups.setdefault(topic.pk, (topic, []))[1].append(
            ExerciseRow(exercise, best.get(exercise.pk))
        )
    return list(groups.values())
