"""Coding exercises in course order and what a student has solved of them:
the "Next exercise" link after a pass, the solved marks in exercise lists.

Course order is the lecture's topics in their order, and each topic's
exercises in theirs (the models' default ordering). Solved: a graded
submission with the full score.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
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


def exercise_next_unsolved(
    *, user: User, exercise: CodingExercise
) -> CodingExercise | None:
    """The first exercise after `exercise` in its lecture that the student
    has not solved; None when each later one is solved (or there is none)."""
    exercises = exercise_list_for_lecture(lecture=exercise.topic.lecture)
    later = exercises[_position(exercises, exercise) + 1 :]
    best = best_scores(user=user, exercises=later)
    for other in later:
        if not ExerciseRow(other, best.get(other.pk)).solved:
            return other
    return None


def _position(exercises: list[CodingExercise], exercise: CodingExercise) -> int:
    """Where `exercise` stands; an exercise not in the list (unpublished,
    previewed by an instructor) stands before the first of its topic."""
    for index, other in enumerate(exercises):
        if other.pk == exercise.pk:
            return index
    for index, other in enumerate(exercises):
        if other.topic_id == exercise.topic_id:
            return index - 1
    return len(exercises)


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
