"""What the item analysis drill-downs read beyond attempts: graded submissions
that name a mistake, hint reveals, and rows dated at a chosen moment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import factory
from django.contrib.auth.models import User
from django.db.models import Model
from factory.django import DjangoModelFactory

from exercises.models import CodingExercise, HintReveal, Submission
from tests.factories.content import CodingExerciseFactory
from tests.factories.users import StudentFactory

# The course's IoU exercise's named mistakes (engine spec "iou").
PLUS_ONE = {"id": "iou-plus-one", "title": "+1 pixel convention", "explanation": "."}
NO_CLAMP = {
    "id": "iou-no-clamp",
    "title": "Intersection not clamped at zero",
    "explanation": ".",
}


class HintRevealFactory(DjangoModelFactory[HintReveal]):
    class Meta:
        model = HintReveal

    user = factory.SubFactory(StudentFactory)
    exercise = factory.SubFactory(CodingExerciseFactory)
    mistake_id = "iou-plus-one"
    level = 1


def dated(row: Model, at: datetime) -> Model:
    """The row with its created_at (set by the database on insert) moved to `at`."""
    type(row)._default_manager.filter(pk=row.pk).update(created_at=at)
    row.refresh_from_db()
    return row


def graded(
    user: User,
    exercise: CodingExercise,
    *,
    at: datetime,
    mistake: dict[str, str] | None = None,
    verdict: str | None = None,
    **report: Any,
) -> Submission:
    """A graded submission made at `at`: passed unless it names a mistake or
    another verdict; `report` adds keys to its report (gradable=False …)."""
    verdict = verdict or ("failed" if mistake else "passed")
    body: dict[str, Any] = {"verdict": verdict, "score": float(verdict == "passed")}
    if mistake is not None:
        body["mistake"] = mistake
    submission = Submission.objects.create(
        user=user,
        exercise=exercise,
        source="def iou(a, b):\n    return 0.0\n",
        status=Submission.Status.DONE,
        score=body["score"],
        report={**body, **report},
    )
    dated(submission, at)
    return submission


def reveal(
    user: User,
    exercise: CodingExercise,
    *,
    level: int,
    at: datetime,
    mistake: str = "iou-plus-one",
    submission: Submission | None = None,
) -> HintReveal:
    row = HintRevealFactory(
        user=user,
        exercise=exercise,
        mistake_id=mistake,
        level=level,
        submission=submission,
    )
    dated(row, at)
    return row
