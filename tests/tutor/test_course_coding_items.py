"""Submitting code for an assignment: recorded as Work, graded by the site's
queue, scored into the assignment; hidden cases follow the assignment
(after the student's own due date, or at once) on every page that shows
the report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import CodingExercise, Submission
from tests.factories import IOU_SOURCE, SubmissionFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    ExtensionFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.feedback import report_for
from tutor.courses.models import Assignment, AssignmentItem, Membership, Work
from tutor.courses.scoring import score_for

pytestmark = pytest.mark.django_db


def _hidden(report: dict) -> dict:
    return next(case for case in report["cases"] if case["hidden"])


REPORT = {
    "verdict": "failed",
    "score": 0.5,
    "passed": 1,
    "total": 2,
    "cases": [
        {"name": "edge 1", "passed": True, "hidden": False, "score": 1.0,
         "inputs": {"a": [0, 0, 1, 1]}, "message": "ok"},
        {"name": "random 1", "passed": False, "hidden": True, "score": 0.0,
         "inputs": {"a": [0.123, 0.456, 1, 1]}, "expected": 0.25, "actual": 0.5,
         "message": "expected 0.25, got 0.5"},
    ],
}  # fmt: skip


@pytest.fixture
def item(student: User, course: None) -> AssignmentItem:
    room = CourseFactory(code="dl")
    MembershipFactory(course=room, user=student)
    assignment = AssignmentFactory(course=room, slug="week", published=True)
    return AssignmentItemFactory(
        assignment=assignment,
        question=None,
        exercise=CodingExercise.objects.get(slug="iou"),
        points=4,
    )


def _url(item: AssignmentItem, tail: str = "") -> str:
    return f"/courses/dl/assignments/week/items/{item.pk}/{tail}"


def test_code_submitted_for_an_item_is_graded_into_the_assignment(
    item: AssignmentItem,
    student: User,
    student_client: Client,
    django_capture_on_commit_callbacks,
) -> None:
    page = student_client.get(_url(item)).content.decode()
    assert 'data-editor="python"' in page and "Submit for grading" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = student_client.post(_url(item, "submit"), {"source": IOU_SOURCE})
    work = Work.objects.get(user=student)
    assert response.status_code == 302
    assert response["Location"] == f"/courses/dl/submissions/{work.submission_id}/"
    assert work.submission.status == Submission.Status.DONE
    assert work.submission.score == 1.0
    assert score_for(item.assignment, student).score == 4
    shown = student_client.get(response["Location"]).content.decode()
    assert "cases passed" in shown


def test_submitting_by_htmx_polls_the_course_status(
    item: AssignmentItem, student_client: Client
) -> None:
    response = student_client.post(
        _url(item, "submit"), {"source": IOU_SOURCE}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 201
    work = Work.objects.get()
    assert (
        f"/courses/dl/submissions/{work.submission_id}/status"
        in response.content.decode()
    )
    assert response["HX-Trigger"] == "submissions-changed"


def test_a_closed_assignment_takes_no_code(
    item: AssignmentItem, student_client: Client
) -> None:
    now = timezone.now()
    Assignment.objects.filter(pk=item.assignment_id).update(
        opens_at=now - timedelta(days=2), due_at=now - timedelta(days=1)
    )
    response = student_client.post(_url(item, "submit"), {"source": IOU_SOURCE})
    assert response.status_code == 403
    assert not Submission.objects.exists()


def test_bad_code_is_refused_with_the_submission_rules(
    item: AssignmentItem, student_client: Client
) -> None:
    response = student_client.post(_url(item, "submit"), {"source": "   "})
    assert response.status_code == 400 and "empty" in response.content.decode()
    assert not Work.objects.exists()


def _graded(item: AssignmentItem, student: User) -> Work:
    submission = SubmissionFactory(
        user=student, exercise=item.exercise, status="done", score=0.5, report=REPORT
    )
    return WorkFactory(
        assignment=item.assignment,
        item=item,
        user=student,
        quiz_attempt=None,
        submission=submission,
    )


def test_hidden_cases_wait_for_the_students_own_due_date(
    item: AssignmentItem, student: User
) -> None:
    work = _graded(item, student)
    submission = work.submission
    before = report_for(work=work, submission=submission, staff=False)
    hidden = _hidden(before)
    assert "inputs" not in hidden and not hidden["message"]
    visible = next(case for case in before["cases"] if not case["hidden"])
    assert visible["inputs"] == {"a": [0, 0, 1, 1]}
    after_due = item.assignment.due_at + timedelta(minutes=1)
    after = report_for(work=work, submission=submission, staff=False, now=after_due)
    assert _hidden(after)["expected"] == 0.25
    # An extension moves the student's due date, and the details with it.
    ExtensionFactory(
        assignment=item.assignment, user=student, due_at=after_due + timedelta(days=1)
    )
    later = report_for(work=work, submission=submission, staff=False, now=after_due)
    assert "expected" not in _hidden(later)
    staff = report_for(work=work, submission=submission, staff=True)
    assert _hidden(staff)["expected"] == 0.25


def test_hidden_cases_show_at_once_when_the_assignment_says_so(
    item: AssignmentItem, student: User
) -> None:
    Assignment.objects.filter(pk=item.assignment_id).update(hidden_feedback="always")
    item.assignment.refresh_from_db()
    work = _graded(item, student)
    report = report_for(work=work, submission=work.submission, staff=False)
    assert _hidden(report)["expected"] == 0.25


def test_the_site_wide_submission_page_follows_the_assignment_too(
    item: AssignmentItem, student: User, student_client: Client
) -> None:
    CodingExercise.objects.filter(pk=item.exercise_id).update(
        hidden_case_feedback="all"
    )
    work = _graded(item, student)
    for url in (
        f"/submissions/{work.submission_id}/",
        f"/submissions/{work.submission_id}/status",
        f"/courses/dl/submissions/{work.submission_id}/",
    ):
        page = student_client.get(url).content.decode()
        assert "0.123" not in page, url
    status = student_client.get(
        f"/submissions/{work.submission_id}/status?format=json"
    ).json()
    hidden = _hidden(status["report"])
    assert "inputs" not in hidden


def test_course_staff_see_a_students_submission_in_full_outsiders_nothing(
    item: AssignmentItem, student: User, other_student: User
) -> None:
    work = _graded(item, student)
    ta = MembershipFactory(course=item.assignment.course, role=Membership.Role.TA).user
    url = f"/courses/dl/submissions/{work.submission_id}/"
    client = Client()
    client.force_login(ta)
    assert "0.123" in client.get(url).content.decode()
    MembershipFactory(course=item.assignment.course, user=other_student)
    client.force_login(other_student)
    assert client.get(url).status_code == 404
