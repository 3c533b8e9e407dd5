"""Recording a student's attempt at an assignment item: whether it is
accepted now (the window, the attempt limit), and the row that ties the quiz
attempt, submission or mock exam to the assignment."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from exercises.models import QuizAttempt, Submission
from tutor.courses.deadlines import window_for
from tutor.courses.models import Assignment, AssignmentItem, Work
from tutor.models import MockExam


class WorkRefused(Exception):
    """The attempt is not accepted; the message says why, `status` the HTTP code."""

    def __init__(self, message: str, status: int = 409) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def attempts_used(
    assignment: Assignment, item: AssignmentItem | None, user: Any
) -> int:
    return Work.objects.filter(assignment=assignment, item=item, user=user).count()


def check_accepts(
    assignment: Assignment, item: AssignmentItem | None, user: Any
) -> bool:
    """Raise WorkRefused unless an attempt is accepted now; True if it is late."""
    if not assignment.is_published:
        raise WorkRefused("This assignment is not published.", 404)
    state = window_for(assignment, user).state(timezone.now())
    if state == "upcoming":
        raise WorkRefused(
            f"This assignment opens on {timezone.localtime(assignment.opens_at):%d %b %Y, %H:%M}.",
            403,
        )
    if state == "closed":
        raise WorkRefused(
            "This assignment is closed: no more attempts are accepted.", 403
        )
    limit = assignment.max_attempts
    if limit is not None and attempts_used(assignment, item, user) >= limit:
        raise WorkRefused(
            f"You have used all {limit} attempt{'s' if limit != 1 else ''} at this item.",
            409,
        )
    return state == "late"


@transaction.atomic
def record(
    *,
    assignment: Assignment,
    item: AssignmentItem | None,
    user: Any,
    quiz_attempt: QuizAttempt | None = None,
    submission: Submission | None = None,
    mock_exam: MockExam | None = None,
    late: bool,
) -> Work:
    """Tie an attempt to the assignment (call it in the transaction that made
    the attempt, after `check_accepts`)."""
    return Work.objects.create(
        assignment=assignment,
        item=item,
        user=user,
        quiz_attempt=quiz_attempt,
        submission=submission,
        mock_exam=mock_exam,
        late=late,
    )
