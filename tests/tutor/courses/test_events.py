"""`work_scored`: sent once when a submission that is assignment work is graded
(for real here: the grader runs the student's code in the sandbox) or
regraded, never for a submission made outside any assignment."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from exercises.coding import submissions
from exercises.coding.signals import submission_scored
from exercises.models import Submission
from tests.factories import IOU_SOURCE, CodingExerciseFactory, SubmissionFactory
from tests.factories.courses import AssignmentItemFactory, WorkFactory
from tutor.courses.events import announce, work_scored
from tutor.courses.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard() -> Iterator[list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def listen(sender: Any, **kwargs: Any) -> None:
        sent.append({"sender": sender, **kwargs})

    work_scored.connect(listen, dispatch_uid="test_events.listen")
    yield sent
    work_scored.disconnect(dispatch_uid="test_events.listen")


def grade(submission: Submission) -> Submission:
    submissions.submission_grade(submission_id=submission.pk, worker_id="test")
    submission.refresh_from_db()
    return submission


def test_grading_assignment_work_announces_it_once(heard, student) -> None:
    item = AssignmentItemFactory(coding=True, exercise=CodingExerciseFactory(iou=True))
    work = WorkFactory(
        coding=True,
        assignment=item.assignment,
        item=item,
        user=student,
        submission__source=IOU_SOURCE,
    )
    assert grade(work.submission).score == 1.0
    assert heard == [
        {
            "sender": Work,
            "signal": work_scored,
            "assignment_id": item.assignment_id,
            "user_id": student.pk,
        }
    ]
    # A second delivery of the grading task finds it done: no second score.
    grade(work.submission)
    assert len(heard) == 1


def test_grading_practice_outside_any_assignment_announces_nothing(
    heard, student
) -> None:
    practice = SubmissionFactory(
        user=student, exercise=CodingExerciseFactory(iou=True), source=IOU_SOURCE
    )
    assert grade(practice).status == Submission.Status.DONE
    assert heard == []


def test_a_regrade_of_assignment_work_announces_it(heard, student) -> None:
    work = WorkFactory(coding=True, user=student, submission__graded=True)
    other = SubmissionFactory(graded=True)
    # What an applied regrade sends, once its change is committed.
    submission_scored.send(sender=Submission, submission_id=work.submission_id)
    submission_scored.send(sender=Submission, submission_id=other.pk)
    assert [(e["assignment_id"], e["user_id"]) for e in heard] == [
        (work.assignment_id, student.pk)
    ]


def test_announce_names_the_assignment_and_the_student(heard) -> None:
    work = WorkFactory()
    announce(work)
    assert [(e["assignment_id"], e["user_id"]) for e in heard] == [
        (work.assignment_id, work.user_id)
    ]
