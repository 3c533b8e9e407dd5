"""A student's attempt at one item of an assignment: a quiz answer or a code
submission, checked with the site's own machinery and recorded as `Work`.

Each attempt at a question is its own variant. Its seed is drawn from the
assignment, the item, the attempt's index and (with fresh variants) the
student, so the next attempt has new numbers: an answer revealed after one
attempt cannot be copied into the next. The form carries the seed of the
attempt it was shown for; an answer to any other attempt (a form posted
twice, an old tab) is refused, never recorded against the wrong numbers.

The window, the attempt limit and the recording happen in one transaction,
with the student's membership row locked so that two requests at once cannot
both take the last attempt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from exercises.checkers import CheckResult
from exercises.coding.submissions import submission_create
from exercises.models import Question, QuizAttempt
from exercises.services.attempts import SEED_LIMIT, attempt_submit
from tutor.courses.events import announce
from tutor.courses.models import Assignment, AssignmentItem, Membership, Work
from tutor.courses.work import WorkRefused, attempts_used, check_accepts, record

STALE = (
    "This attempt was answered already (or the page is out of date): "
    "nothing was recorded. Reload the page for your next attempt."
)


def item_seed(
    *, assignment: Assignment, item: AssignmentItem, user_id: int, index: int
) -> int:
    """The variant of attempt `index` (0 first): per student with fresh
    variants, else the same for everyone; a new attempt, new numbers."""
    owner = user_id if assignment.fresh_variants else 0
    key = f"assignment:{assignment.pk}:{item.pk}:{owner}:{index}"
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:6], "big") % SEED_LIMIT


def next_seed(*, assignment: Assignment, item: AssignmentItem, user: Any) -> int:
    """The seed of the student's next attempt at the item."""
    return item_seed(
        assignment=assignment,
        item=item,
        user_id=user.pk,
        index=attempts_used(assignment, item, user),
    )


def lock_student(*, assignment: Assignment, user: Any) -> None:
    """Hold the student's membership row until the transaction ends: their
    attempts at the course's work are recorded one at a time."""
    Membership.objects.select_for_update().filter(
        course_id=assignment.course_id, user=user
    ).first()


@dataclass(frozen=True)
class QuizOutcome:
    """The checker's verdict; `work` is None when the answer could not be read
    (nothing was recorded and no attempt was used)."""

    result: CheckResult
    work: Work | None
    seed: int


def quiz_answer(
    *,
    assignment: Assignment,
    item: AssignmentItem,
    user: Any,
    answer: dict[str, Any],
    seed: int | None,
) -> QuizOutcome:
    """Check and record the student's answer to their current attempt at a
    question of the assignment. Raises WorkRefused when the assignment does
    not take it (window, limit) or the form was for another attempt."""
    question = item.question
    if question is None:
        raise WorkRefused("This item is a coding exercise, not a question.", 400)
    with transaction.atomic():
        lock_student(assignment=assignment, user=user)
        late = check_accepts(assignment, item, user)
        expected = next_seed(assignment=assignment, item=item, user=user)
        if seed != expected:
            raise WorkRefused(STALE, 409)
        outcome = attempt_submit(
            user=user, question=question, answer=answer, seed=expected
        )
        if outcome.attempt is None:
            return QuizOutcome(outcome.result, None, expected)
        work = record(
            assignment=assignment,
            item=item,
            user=user,
            quiz_attempt=outcome.attempt,
            late=late,
        )
        transaction.on_commit(lambda: announce(work))
    return QuizOutcome(outcome.result, work, expected)


def code_submit(
    *, assignment: Assignment, item: AssignmentItem, user: Any, source: str
) -> Work:
    """Store a submission for a coding item of the assignment and queue its
    grading; its score reaches the assignment (and is announced) when it is
    graded. Raises WorkRefused, or SubmissionRejected (size, rate, one at a
    time) from the submission's own rules."""
    exercise = item.exercise
    if exercise is None:
        raise WorkRefused("This item is a question, not a coding exercise.", 400)
    with transaction.atomic():
        lock_student(assignment=assignment, user=user)
        late = check_accepts(assignment, item, user)
        submission = submission_create(user=user, exercise=exercise, source=source)
        return record(
            assignment=assignment,
            item=item,
            user=user,
            submission=submission,
            late=late,
        )


def attempts_at(
    *, assignment: Assignment, item: AssignmentItem, user: Any
) -> list[Work]:
    """The student's attempts at one item, oldest first, with what they made."""
    return list(
        Work.objects.filter(assignment=assignment, item=item, user=user)
        .select_related("quiz_attempt", "submission")
        .order_by("created_at", "pk")
    )


def question_of(item: AssignmentItem) -> Question:
    if item.question is None:
        raise WorkRefused("This item is not a question.", 404)
    return item.question


def last_answer(works: list[Work]) -> QuizAttempt | None:
    """The quiz attempt of the latest attempt, if it was a quiz answer."""
    return works[-1].quiz_attempt if works else None
