"""A student's course pages: their courses, joining by code and by link, the
course page with each assignment's own dates, status and score, the
assignment page, and "Due soon" on the dashboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.factories import StudentFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    ExtensionFactory,
    MembershipFactory,
    WorkFactory,
)
from tutor.courses.models import Course, Membership

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def course(db: None) -> Course:
    return CourseFactory(code="dl-2026", title="DL 2026", invite_code="ABCDEF2345")


def test_it_lists_my_courses_with_my_role(course: Course, student: User) -> None:
    MembershipFactory(course=course, user=student, role=Membership.Role.TA)
    page = _client(student).get("/courses/").content.decode()
    assert "DL 2026" in page and "Teaching assistant" in page
    assert "/courses/dl-2026/staff/" in page


def test_it_joins_by_invite_code_whatever_the_case_and_spaces(
    course: Course, student: User
) -> None:
    response = _client(student).post("/courses/", {"invite_code": " abcde f2345 "})
    assert response.status_code == 302 and response["Location"] == "/courses/dl-2026/"
    assert course.members.get(user=student).source == "invite"


def test_it_says_when_an_invite_code_opens_nothing(student: User) -> None:
    response = _client(student).post("/courses/", {"invite_code": "NOPE"})
    assert response.status_code == 404
    assert "No open course has this invite code" in response.content.decode()


def test_an_invite_link_shows_the_course_then_joins_it(
    course: Course, student: User
) -> None:
    client = _client(student)
    page = client.get("/courses/join/ABCDEF2345/")
    assert page.status_code == 200 and "Join DL 2026" in page.content.decode()
    assert not course.members.exists()  # looking does not join
    joined = client.post("/courses/join/ABCDEF2345/")
    assert joined["Location"] == "/courses/dl-2026/"
    assert course.members.filter(user=student, role="student").exists()


def test_an_invite_link_sends_a_stranger_to_sign_in_and_back(course: Course) -> None:
    response = Client().get("/courses/join/ABCDEF2345/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/courses/join/ABCDEF2345/"


def test_a_course_page_is_for_its_members(course: Course, student: User) -> None:
    assert Client().get("/courses/dl-2026/").status_code == 302
    assert _client(student).get("/courses/dl-2026/").status_code == 404
    assert _client(student).get("/courses/nowhere/").status_code == 404


def test_the_course_page_shows_my_dates_status_and_score(
    course: Course, student: User
) -> None:
    MembershipFactory(course=course, user=student)
    week = AssignmentFactory(course=course, slug="week-1", published=True)
    item = AssignmentItemFactory(assignment=week, points=2)
    AssignmentItemFactory(assignment=week, points=3)
    WorkFactory(assignment=week, item=item, user=student)  # a right answer: 2 points
    ExtensionFactory(
        assignment=week, user=student, due_at=week.due_at + timedelta(days=3)
    )
    AssignmentFactory(course=course, slug="draft", title="A draft")
    later = AssignmentFactory(
        course=course,
        slug="later",
        published=True,
        opens_at=timezone.now() + timedelta(days=2),
        due_at=timezone.now() + timedelta(days=9),
    )
    page = _client(student).get("/courses/dl-2026/").content.decode()
    assert "A draft" not in page
    week_row = page.split('id="assignment-week-1"')[1].split("</tr>")[0]
    assert "Open" in week_row and "In progress" in week_row
    assert "2 of 5 points" in week_row and "extended" in week_row
    later_row = page.split(f'id="assignment-{later.slug}"')[1].split("</tr>")[0]
    assert "Upcoming" in later_row and "Not started" in later_row


def test_the_assignment_page_shows_attempts_and_scores_per_item(
    course: Course, student: User
) -> None:
    MembershipFactory(course=course, user=student)
    week = AssignmentFactory(
        course=course, slug="week-1", published=True, max_attempts=3, late_penalty=0.5
    )
    item = AssignmentItemFactory(assignment=week, points=2)
    WorkFactory(assignment=week, item=item, user=student)
    page = _client(student).get("/courses/dl-2026/assignments/week-1/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "1 of 3" in text and "2 left" in text
    assert "2 of 2" in text and "3 attempts per item" in text


def test_an_unpublished_assignment_is_hidden_from_students_not_staff(
    course: Course, student: User
) -> None:
    MembershipFactory(course=course, user=student)
    ta = MembershipFactory(course=course, role=Membership.Role.TA).user
    AssignmentFactory(course=course, slug="draft")
    url = "/courses/dl-2026/assignments/draft/"
    assert _client(student).get(url).status_code == 404
    page = _client(ta).get(url)
    assert page.status_code == 200 and "Not published" in page.content.decode()


def test_the_dashboard_lists_what_is_due_in_the_next_week(
    course: Course, student: User
) -> None:
    MembershipFactory(course=course, user=student)
    now = timezone.now()
    soon = AssignmentFactory(
        course=course, title="Soon", published=True, due_at=now + timedelta(days=3)
    )
    AssignmentItemFactory(assignment=soon)
    AssignmentFactory(
        course=course, title="Far", published=True, due_at=now + timedelta(days=10)
    )
    AssignmentFactory(course=course, title="Hidden", due_at=now + timedelta(days=2))
    done = AssignmentFactory(
        course=course, title="Done", published=True, due_at=now + timedelta(days=2)
    )
    WorkFactory(assignment=done, user=student)  # its one item, graded: complete
    moved = AssignmentFactory(
        course=course, title="Moved", published=True, due_at=now - timedelta(hours=1)
    )
    AssignmentItemFactory(assignment=moved)
    ExtensionFactory(assignment=moved, user=student, due_at=now + timedelta(days=1))
    other = StudentFactory()
    MembershipFactory(course=course, user=other)
    page = _client(student).get("/").content.decode()
    due = page.split('class="due-soon"')[1].split("</article>")[0]
    assert "Soon" in due and "Moved" in due
    assert "Far" not in due and "Hidden" not in due and "Done" not in due
    assert due.index("Moved") < due.index("Soon")  # soonest first
    # Another student has no extension: "Moved" is past due for them.
    theirs = _client(other).get("/").content.decode()
    assert "Moved" not in theirs.split('class="due-soon"')[1].split("</article>")[0]


def test_the_dashboard_has_no_due_soon_box_outside_courses(student: User) -> None:
    assert 'class="due-soon"' not in _client(student).get("/").content.decode()
