"""Course roles decide who may do what, course by course: an instructor of one
course is a student of another; superusers act as instructors; inactive and
anonymous users have no role. The view guard sends anonymous visitors to sign
in, hides a course from non-members (404) and refuses a low role (403)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import InstructorFactory, UserFactory
from tests.factories.courses import CourseFactory, MembershipFactory
from tutor.courses.access import (
    course_role_required,
    courses_taught,
    has_role,
    role_in,
)
from tutor.courses.models import Course, Membership

pytestmark = pytest.mark.django_db

Role = Membership.Role


@pytest.fixture
def course_a(db: None) -> Course:
    return CourseFactory(code="dl-a")


@pytest.fixture
def course_b(db: None) -> Course:
    return CourseFactory(code="dl-b")


def test_a_role_is_per_course(course_a, course_b, student) -> None:
    MembershipFactory(course=course_a, user=student, role=Role.INSTRUCTOR)
    MembershipFactory(course=course_b, user=student, role=Role.STUDENT)
    assert role_in(course_a, student) == Role.INSTRUCTOR
    assert role_in(course_b, student) == Role.STUDENT
    assert role_in(CourseFactory(), student) is None


def test_a_superuser_is_an_instructor_everywhere(course_a) -> None:
    assert role_in(course_a, UserFactory(superuser=True)) == Role.INSTRUCTOR


def test_site_staff_have_no_course_role_by_being_staff(course_a) -> None:
    assert role_in(course_a, InstructorFactory()) is None


@pytest.mark.parametrize("superuser", [False, True])
def test_an_inactive_account_has_no_role(course_a, superuser: bool) -> None:
    user = UserFactory(is_active=False, superuser=superuser)
    MembershipFactory(course=course_a, user=user, role=Role.INSTRUCTOR)
    assert role_in(course_a, user) is None
    assert courses_taught(user) == []


def test_an_anonymous_visitor_has_no_role(course_a) -> None:
    assert role_in(course_a, AnonymousUser()) is None
    assert not has_role(course_a, AnonymousUser(), Role.STUDENT)
    assert courses_taught(AnonymousUser()) == []


@pytest.mark.parametrize(
    ("role", "least", "allowed"),
    [
        (Role.STUDENT, Role.STUDENT, True),
        (Role.STUDENT, Role.TA, False),
        (Role.TA, Role.TA, True),
        (Role.TA, Role.INSTRUCTOR, False),
        (Role.INSTRUCTOR, Role.TA, True),
        (Role.INSTRUCTOR, Role.INSTRUCTOR, True),
    ],
)
def test_roles_rank(course_a, student, role: str, least: str, allowed: bool) -> None:
    MembershipFactory(course=course_a, user=student, role=role)
    assert has_role(course_a, student, least) is allowed


def test_courses_taught_are_those_with_a_staff_role(
    course_a, course_b, student
) -> None:
    MembershipFactory(course=course_a, user=student, role=Role.TA)
    MembershipFactory(course=course_b, user=student, role=Role.STUDENT)
    assert courses_taught(student) == [course_a]
    assert set(courses_taught(UserFactory(superuser=True))) == {course_a, course_b}


# The guard, on a view of its own.


@course_role_required(Role.TA)
def staff_page(request: HttpRequest, *, course: Course, role: str) -> HttpResponse:
    return HttpResponse(f"{course.code} {role}")


def visit(user: Any, code: str = "dl-a") -> HttpResponse:
    request = RequestFactory().get(f"/courses/{code}/staff/?page=2")
    request.user = user
    return staff_page(request, code=code)


def test_an_anonymous_visitor_is_sent_to_sign_in(course_a) -> None:
    response = visit(AnonymousUser())
    assert response.status_code == 302
    assert response["Location"] == (
        f"{reverse('login')}?next=/courses/dl-a/staff/%3Fpage%3D2"
    )


def test_an_anonymous_visitor_is_not_told_whether_a_course_exists(db) -> None:
    assert visit(AnonymousUser(), code="no-such-course").status_code == 302


@pytest.mark.parametrize("code", ["dl-a", "no-such-course"])
def test_a_non_member_finds_no_course(course_a, code: str) -> None:
    with pytest.raises(Http404):
        visit(InstructorFactory(), code=code)


def test_a_student_is_refused_a_teaching_staff_page(course_a, student) -> None:
    MembershipFactory(course=course_a, user=student)
    with pytest.raises(PermissionDenied, match="teaching staff"):
        visit(student)


def test_a_student_of_one_course_is_a_stranger_to_another(
    course_a, course_b, student
) -> None:
    MembershipFactory(course=course_b, user=student, role=Role.INSTRUCTOR)
    with pytest.raises(Http404):
        visit(student)


@pytest.mark.parametrize("role", [Role.TA, Role.INSTRUCTOR])
def test_teaching_staff_get_the_page_with_their_course_and_role(
    course_a, student, role: str
) -> None:
    MembershipFactory(course=course_a, user=student, role=role)
    assert visit(student).content.decode() == f"dl-a {role}"


def test_a_superuser_gets_the_page(course_a) -> None:
    assert visit(UserFactory(superuser=True)).content == b"dl-a instructor"


def test_an_instructors_page_refuses_a_ta(course_a, student) -> None:
    @course_role_required(Role.INSTRUCTOR)
    def edit(request: HttpRequest, *, course: Course, role: str) -> HttpResponse:
        return HttpResponse("edit")

    MembershipFactory(course=course_a, user=student, role=Role.TA)
    request = RequestFactory().get("/")
    request.user = student
    with pytest.raises(PermissionDenied, match="instructors"):
        edit(request, code="dl-a")


def test_a_guard_for_a_role_that_does_not_exist_fails_at_once() -> None:
    with pytest.raises(ValueError):
        course_role_required("teacher")
