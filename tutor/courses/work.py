"""Recording a student's attempt at an assignment item: whether it is
accepted now (the window, the attempt limit), and the row that ties the quiz
attempt, submission or mock exam to the assignment."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from exercises.models import QuizAttempt, Submission
from tutor.courses.deadlines import window_for
from tutor.courses.models import Assignment, AssignmentItem, Membership, Work
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
    """Attempts that count against the limit (see `Work.counts`: a submission
    that could not be graded costs none)."""
    rows = Work.objects.filter(
        assignment=assignment, item=item, user=user
    ).select_related("submission")
    return sum(1 for work in rows if work.counts)


def check_accepts(
    assignment: Assignment, item: AssignmentItem | None, user: Any
) -> bool:
    """Raise WorkRefused unless an attempt is accepted now; True if it is late.

    Called inside the transaction that makes the attempt, it holds the
    student's membership row until that transaction ends, so two attempts
    sent at once cannot both pass the attempt limit (PostgreSQL; SQLite
    writes one transaction at a time anyway)."""
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
    if limit is not None:
        _hold_membership(assignment, user)
        if attempts_used(assignment, item, user) >= limit:
            raise WorkRefused(
                f"You have used all {limit} attempt{'s' if limit != 1 else ''} at this item.",
                409,
            )
    return state == "late"


def _hold_membership(assignment: Assignment, user: Any) -> None:
    if transaction.get_connection().in_atomic_block and getattr(user, "pk", None):
        list(
            Membership.objects.select_for_update()
            .filter(course_id=assignment.course_id, user=user)
            .values_list("pk", flat=True)
        )


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
    the attempt, after `check_accepts`). ValueError when the attempt is not
    exactly one quiz attempt, submission or mock exam of this user at this
    item: a caller's mistake, never the student's."""
    _check_tie(assignment, item, user, quiz_attempt, submission, mock_exam)
    return Work.objects.create(
        assignment=assignment,
        item=item,
        user=user,
        quiz_attempt=quiz_attempt,
        submission=submission,
        mock_exam=mock_exam,
        late=late,
    )


def _check_tie(
    assignment: Assignment,
    item: AssignmentItem | None,
    user: Any,
    quiz_attempt: QuizAttempt | None,
    submission: Submission | None,
    mock_exam: MockExam | None,
) -> None:
    given = [a for a in (quiz_attempt, submission, mock_exam) if a is not None]
    if len(given) != 1:
        raise ValueError("Work ties exactly one quiz attempt, submission or exam.")
    if given[0].user_id != user.pk:
        raise ValueError("The attempt is another user's.")
    if item is not None and item.assignment_id != assignment.pk:
        raise ValueError("The item belongs to another assignment.")
    if quiz_attempt is not None and (
        item is None or quiz_attempt.question_id != item.question_id
    ):
        raise ValueError("The quiz attempt is not at this item's question.")
    if submission is not None and (
        item is None or submission.exercise_id != item.exercise_id
    ):
        raise ValueError("The submission is not for this item's exercise.")
    if mock_exam is not None and (item is not None or assignment.blueprint_id is None):
        raise ValueError("A mock exam is the work of an exam assignment, no item.")
