"""Attempts with a chosen score, status and time, for the courses tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from exercises.models import Submission
from tests.factories.courses import WorkFactory
from tutor.courses.models import Assignment, AssignmentItem, Work

# The moment the attempts of a test are dated from (`minutes` after it).
NOON = datetime(2026, 11, 6, 12, 0, tzinfo=UTC)
DONE = Submission.Status.DONE


def dated(work: Work, minutes: float | None) -> Work:
    """Date the attempt `minutes` after NOON: scoring goes by this time."""
    if minutes is not None:
        Work.objects.filter(pk=work.pk).update(
            created_at=NOON + timedelta(minutes=minutes)
        )
        work.refresh_from_db()
    return work


def answered(
    assignment: Assignment,
    item: AssignmentItem,
    user: Any,
    score: float,
    *,
    late: bool = False,
    minutes: float | None = None,
) -> Work:
    """A quiz answer with `score` credit at a question item."""
    work = WorkFactory(
        assignment=assignment,
        item=item,
        user=user,
        late=late,
        quiz_attempt__score=score,
        quiz_attempt__is_correct=score == 1.0,
    )
    return dated(work, minutes)


def submitted(
    assignment: Assignment,
    item: AssignmentItem,
    user: Any,
    score: float | None,
    *,
    status: str = DONE,
    gradable: bool = True,
    late: bool = False,
    minutes: float | None = None,
) -> Work:
    """A submission at a coding item, graded with `score` unless `status`
    says it is still queued, running or failed; `gradable=False`: a report
    of code that could not be run (a syntax error)."""
    report = (
        {"verdict": "passed" if score == 1.0 else "failed", "score": score}
        if status == DONE
        else None
    )
    if report is not None and not gradable:
        report = {"verdict": "syntax_error", "score": 0.0, "gradable": False}
    work = WorkFactory(
        coding=True,
        assignment=assignment,
        item=item,
        user=user,
        late=late,
        submission__status=status,
        submission__score=score if status == DONE else None,
        submission__report=report,
    )
    return dated(work, minutes)
