"""The grade sync page of a course (teaching staff): each student's score
here and in the platform, errors, and "resend all"; the setup page."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import InstructorFactory, StudentFactory
from tests.factories.courses import MembershipFactory
from tests.lti.grading import grade, link_course, student_launch
from tests.lti.platform import Platform
from tutor.lti.models import GradePassback

pytestmark = pytest.mark.django_db
CANVAS_SUBMISSION = "https://canvas.instructure.com/lti/submission"


@pytest.fixture
def sent(
    registration, platform: Platform, assignment, django_capture_on_commit_callbacks
):
    """Two students with scores in the platform, one refused (422)."""
    link_course(registration, assignment)
    column = platform.add_lineitem(label="A", scoreMaximum=10, tag="score")["id"]
    alice = student_launch(platform, assignment, sub="alice", lineitem=column)
    bob = student_launch(platform, assignment, sub="bob", lineitem=column)
    platform.fail_next("POST", "/scores", 422, body={"errors": "not a student"})
    with django_capture_on_commit_callbacks(execute=True):
        grade(assignment, bob, 0.5)
        grade(assignment, alice, 1.0)
    return assignment


def _staff(assignment, role: str = "ta") -> Client:
    client = Client()
    client.force_login(MembershipFactory(course=assignment.course, role=role).user)
    return client


def test_the_page_shows_each_student_s_status(sent) -> None:
    response = _staff(sent).get(f"/lti/courses/{sent.course.code}/grades/")
    assert response.status_code == 200
    assert response.context["counts"] == {
        "pending": 0,
        "sent": 1,
        "failed": 1,
        "superseded": 0,
    }
    assert b"not a student" in response.content
    assert b"Person alice" in response.content


def test_resend_all_posts_every_score_again_as_no_new_submission(
    sent, platform: Platform, django_capture_on_commit_callbacks
) -> None:
    before = {s["userId"]: s["timestamp"] for s in platform.scores}
    client = _staff(sent, "instructor")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/lti/courses/{sent.course.code}/grades/resend")
    assert response.status_code == 302
    assert platform.gradebook("alice") == [10.0, 10.0]
    assert platform.gradebook("bob") == [5.0]  # refused once, accepted now
    again = platform.scores[-2:]
    assert {s["userId"] for s in again} == {"alice", "bob"}
    alice = next(s for s in again if s["userId"] == "alice")
    assert alice["timestamp"] > before["alice"]
    assert alice[CANVAS_SUBMISSION] == {"new_submission": False}
    assert set(GradePassback.objects.values_list("status", flat=True)) == {"sent"}


def test_students_strangers_and_the_anonymous_get_no_grade_sync(sent) -> None:
    url = f"/lti/courses/{sent.course.code}/grades/"
    student = Client()
    student.force_login(MembershipFactory(course=sent.course).user)
    assert student.get(url).status_code == 403
    assert student.post(url + "resend").status_code == 403
    stranger = Client()
    stranger.force_login(StudentFactory())
    assert stranger.get(url).status_code == 404
    assert Client().get(url).status_code == 302
    assert Client().get("/lti/courses/nope/grades/").status_code == 302


def test_the_setup_page_is_for_site_staff(registration) -> None:
    staff = Client()
    staff.force_login(InstructorFactory())
    response = staff.get("/lti/setup/")
    assert response.status_code == 200
    assert b"http://testserver/lti/login/" in response.content
    assert b"http://testserver/lti/jwks/" in response.content
    assert registration.client_id.encode() in response.content
    student = Client()
    student.force_login(StudentFactory())
    assert student.get("/lti/setup/").status_code == 302  # the admin's sign-in
