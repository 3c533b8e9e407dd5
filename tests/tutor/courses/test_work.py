"""Whether an attempt is accepted now (published, the window, the attempt
limit) and the row that ties it to the assignment: exactly one quiz attempt,
submission or mock exam, of this student, at this item."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from exercises.models import Submission
from tests.factories import QuizAttemptFactory, SubmissionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    ExtensionFactory,
    MembershipFactory,
)
from tests.factories.study import MockExamFactory
from tests.tutor.courses.attempts import answered, submitted
from tutor.courses.models import Work
from tutor.courses.work import WorkRefused, attempts_used, check_accepts, record

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def refusal(assignment, item, user) -> tuple[int, str]:
    with pytest.raises(WorkRefused) as caught:
        check_accepts(assignment, item, user)
    return caught.value.status, caught.value.message


def test_an_open_assignment_takes_an_attempt_on_time(
    assignment, question_item, student
) -> None:
    assert check_accepts(assignment, question_item, student) is False


def test_an_unpublished_assignment_is_not_found(question_item, student) -> None:
    assignment = question_item.assignment
    assignment.is_published = False
    assignment.save()
    assert refusal(assignment, question_item, student)[0] == 404


def test_an_upcoming_assignment_is_forbidden_and_says_when_it_opens(student) -> None:
    now = timezone.now()
    assignment = AssignmentFactory(
        published=True, opens_at=now + DAY, due_at=now + 2 * DAY
    )
    item = AssignmentItemFactory(assignment=assignment)
    status, message = refusal(assignment, item, student)
    assert status == 403 and message.startswith("This assignment opens on ")


def test_a_closed_assignment_is_forbidden(student) -> None:
    now = timezone.now()
    assignment = AssignmentFactory(
        published=True, opens_at=now - 3 * DAY, due_at=now - 2 * DAY,
        late_until=now - DAY,
    )  # fmt: skip
    item = AssignmentItemFactory(assignment=assignment)
    assert refusal(assignment, item, student) == (
        403,
        "This assignment is closed: no more attempts are accepted.",
    )


def test_in_the_late_window_an_attempt_is_late(student) -> None:
    now = timezone.now()
    assignment = AssignmentFactory(
        published=True, opens_at=now - 3 * DAY, due_at=now - DAY, late_until=now + DAY
    )
    item = AssignmentItemFactory(assignment=assignment)
    assert check_accepts(assignment, item, student) is True


def test_an_extension_reopens_a_closed_assignment_for_its_student(
    student, other_student
) -> None:
    now = timezone.now()
    assignment = AssignmentFactory(
        published=True, opens_at=now - 3 * DAY, due_at=now - DAY
    )
    item = AssignmentItemFactory(assignment=assignment)
    ExtensionFactory(assignment=assignment, user=student, due_at=now + DAY)
    assert check_accepts(assignment, item, student) is False
    assert refusal(assignment, item, other_student)[0] == 403


def test_used_up_attempts_are_a_conflict(assignment, question_item, student) -> None:
    assignment.max_attempts = 2
    assignment.save()
    answered(assignment, question_item, student, 0.0)
    assert check_accepts(assignment, question_item, student) is False
    answered(assignment, question_item, student, 0.0)
    assert refusal(assignment, question_item, student) == (
        409,
        "You have used all 2 attempts at this item.",
    )
    assignment.max_attempts = 1
    assert refusal(assignment, question_item, student)[1] == (
        "You have used all 1 attempt at this item."
    )


def test_attempts_are_counted_per_item_and_per_student(
    assignment, question_item, student, other_student
) -> None:
    assignment.max_attempts = 1
    assignment.save()
    second = AssignmentItemFactory(assignment=assignment)
    answered(assignment, question_item, student, 1.0)
    assert attempts_used(assignment, question_item, student) == 1
    assert check_accepts(assignment, second, student) is False
    assert check_accepts(assignment, question_item, other_student) is False


def test_code_that_could_not_be_graded_uses_no_attempt(
    assignment, coding_item, student
) -> None:
    assignment.max_attempts = 1
    assignment.save()
    submitted(assignment, coding_item, student, 0.0, gradable=False)
    submitted(assignment, coding_item, student, None, status=Submission.Status.ERROR)
    assert attempts_used(assignment, coding_item, student) == 0
    assert check_accepts(assignment, coding_item, student) is False
    # One still being graded counts: it may well be graded.
    submitted(assignment, coding_item, student, None, status=Submission.Status.QUEUED)
    assert attempts_used(assignment, coding_item, student) == 1
    assert refusal(assignment, coding_item, student)[0] == 409


def test_the_check_may_run_in_the_transaction_that_makes_the_attempt(
    assignment, question_item, student
) -> None:
    assignment.max_attempts = 3
    assignment.save()
    MembershipFactory(course=assignment.course, user=student)
    with transaction.atomic():
        late = check_accepts(assignment, question_item, student)
        attempt = QuizAttemptFactory(user=student, question=question_item.question)
        work = record(
            assignment=assignment,
            item=question_item,
            user=student,
            quiz_attempt=attempt,
            late=late,
        )
    assert attempts_used(assignment, question_item, student) == 1
    assert work.raw_score == 1.0 and work.late is False


def test_record_ties_the_attempt_and_keeps_the_late_flag(
    assignment, coding_item, student
) -> None:
    submission = SubmissionFactory(user=student, exercise=coding_item.exercise)
    work = record(
        assignment=assignment,
        item=coding_item,
        user=student,
        submission=submission,
        late=True,
    )
    assert Work.objects.get() == work
    assert (work.submission, work.late, work.raw_score) == (submission, True, None)


def test_record_ties_a_paper_to_an_exam_assignment(student) -> None:
    assignment = AssignmentFactory(published=True, exam=True)
    paper = MockExamFactory(user=student, blueprint=assignment.blueprint)
    work = record(
        assignment=assignment, item=None, user=student, mock_exam=paper, late=False
    )
    assert (work.item, work.mock_exam) == (None, paper)


def test_record_ties_exactly_one_attempt(assignment, question_item, student) -> None:
    attempt = QuizAttemptFactory(user=student, question=question_item.question)
    paper = MockExamFactory(user=student)
    tries: list[dict[str, Any]] = [{}, {"quiz_attempt": attempt, "mock_exam": paper}]
    for made in tries:
        with pytest.raises(ValueError, match="exactly one"):
            record(
                assignment=assignment, item=question_item, user=student, late=False,
                **made,
            )  # fmt: skip
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    "made", [{}, {"quiz_attempt": True, "mock_exam": True}], ids=["none", "two"]
)
def test_the_database_holds_work_to_exactly_one_attempt(
    assignment, question_item, student, made: dict[str, bool]
) -> None:
    things = {
        "quiz_attempt": QuizAttemptFactory(
            user=student, question=question_item.question
        ),
        "mock_exam": MockExamFactory(user=student),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Work.objects.create(
            assignment=assignment,
            item=question_item,
            user=student,
            **{name: things[name] for name in made},
        )
    assert not Work.objects.exists()


def test_record_refuses_what_is_not_this_students_work_at_this_item(
    assignment, question_item, coding_item, student
) -> None:
    other_item = AssignmentItemFactory()
    mine = QuizAttemptFactory(user=student, question=question_item.question)
    cases = [
        # another student's answer
        (question_item, QuizAttemptFactory(question=question_item.question)),
        # an answer to another question
        (question_item, QuizAttemptFactory(user=student)),
        # an item of another assignment
        (other_item, QuizAttemptFactory(user=student, question=other_item.question)),
        # an answer at a coding item
        (coding_item, mine),
    ]
    for item, attempt in cases:
        with pytest.raises(ValueError):
            record(
                assignment=assignment, item=item, user=student,
                quiz_attempt=attempt, late=False,
            )  # fmt: skip
    with pytest.raises(ValueError):
        record(
            assignment=assignment, item=question_item, user=student,
            submission=SubmissionFactory(user=student, exercise=coding_item.exercise),
            late=False,
        )  # fmt: skip
    with pytest.raises(ValueError):  # a paper, but not an exam assignment
        record(
            assignment=assignment, item=None, user=student,
            mock_exam=MockExamFactory(user=student), late=False,
        )  # fmt: skip
    assert not Work.objects.exists()
