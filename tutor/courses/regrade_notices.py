"""Telling students that a regrade changed their score: the applied regrade
changes of their course submissions whose score moved, until they dismiss
the notice (RegradeChange.seen_at)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from exercises.models import RegradeChange
from tutor.courses.models import Assignment, Course, Work

DEFAULT_REASON = "the grading of this exercise was corrected"


@dataclass(frozen=True)
class RegradeNotice:
    """One changed score, in the words the student is shown."""

    change_id: int
    item: str
    assignment: Assignment
    old_score: float | None
    new_score: float | None
    regraded_at: datetime
    reason: str


def _unseen(user: User) -> QuerySet[RegradeChange]:
    return RegradeChange.objects.filter(
        submission__user=user,
        applied=True,
        run__dry_run=False,
        seen_at__isnull=True,
    )


def _score_moved(change: RegradeChange) -> bool:
    old, new = change.old_score, change.new_score
    if old is None or new is None:
        return old is not new
    return not math.isclose(old, new, rel_tol=0, abs_tol=1e-9)


def regrade_notice_list(
    *, user: User, course: Course, assignment: Assignment | None = None
) -> list[RegradeNotice]:
    """The student's unseen changed scores in the course (or one assignment
    of it), newest first."""
    works = Work.objects.filter(
        user=user, assignment__course=course, submission__isnull=False
    )
    if assignment is not None:
        works = works.filter(assignment=assignment)
    by_submission = {
        work.submission_id: work
        for work in works.select_related("assignment", "item__exercise")
    }
    changes = (
        _unseen(user)
        .filter(submission_id__in=by_submission)
        .select_related("run", "submission__exercise")
        .order_by("-created_at", "-pk")
    )
    return [
        _notice(change, by_submission[change.submission_id])
        for change in changes
        if _score_moved(change)
    ]


def _notice(change: RegradeChange, work: Work) -> RegradeNotice:
    return RegradeNotice(
        change_id=change.pk,
        item=change.submission.exercise.title,
        assignment=work.assignment,
        old_score=change.old_score,
        new_score=change.new_score,
        regraded_at=change.created_at,
        reason=(change.run.reason or DEFAULT_REASON).rstrip(" ."),
    )


def regrade_notice_dismiss(*, user: User, change_id: int) -> bool:
    """Mark the notice seen; False when it is not the user's or already seen."""
    return bool(_unseen(user).filter(pk=change_id).update(seen_at=timezone.now()))
