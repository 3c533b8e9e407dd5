"""Joining a course: by its invite code (as typed: case and spaces do not
matter; only an active course; a second join keeps the role), and enrolment
with a role, which an LMS launch uses (the role replaces the stored one; two
first launches at once end with one membership)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError

from tests.factories.courses import CourseFactory, MembershipFactory
from tutor.courses.membership import (
    JoinRefused,
    enrol,
    join_by_invite,
    memberships_of,
)
from tutor.courses.models import Course, Membership

pytestmark = pytest.mark.django_db

Role, Source = Membership.Role, Membership.Source


@pytest.fixture
def dl(db: None) -> Course:
    return CourseFactory(code="dl-2026", invite_code="ABCDEFGHJK")


@pytest.mark.parametrize("typed", ["ABCDEFGHJK", "abcdefghjk", " abcde fghjk\n"])
def test_a_student_joins_by_the_invite_code_as_typed(dl, student, typed: str) -> None:
    membership = join_by_invite(user=student, code=typed)
    assert (membership.course, membership.user) == (dl, student)
    assert (membership.role, membership.source) == (Role.STUDENT, Source.INVITE)


@pytest.mark.parametrize("typed", ["", "ABCDEFGHJ", "ABCDEFGHJKX", "x" * 500])
def test_a_code_of_no_course_is_refused(dl, student, typed: str) -> None:
    with pytest.raises(JoinRefused, match="No open course has this invite code"):
        join_by_invite(user=student, code=typed)
    assert not Membership.objects.exists()


def test_an_inactive_course_cannot_be_joined(dl, student) -> None:
    dl.is_active = False
    dl.save()
    with pytest.raises(JoinRefused):
        join_by_invite(user=student, code=dl.invite_code)
    assert not Membership.objects.exists()


def test_joining_again_keeps_the_role(dl, student) -> None:
    MembershipFactory(course=dl, user=student, role=Role.TA, source=Source.STAFF)
    membership = join_by_invite(user=student, code=dl.invite_code)
    assert (membership.role, membership.source) == (Role.TA, Source.STAFF)
    assert Membership.objects.count() == 1


def test_enrolment_creates_a_student_unless_told_a_role(dl, student) -> None:
    membership = enrol(course=dl, user=student, role=None, source=Source.STAFF)
    assert (membership.role, membership.source) == (Role.STUDENT, Source.STAFF)


def test_enrolment_with_a_role_replaces_the_stored_one(dl, student) -> None:
    MembershipFactory(course=dl, user=student, source=Source.INVITE)
    membership = enrol(course=dl, user=student, role=Role.INSTRUCTOR, source=Source.LTI)
    assert membership.role == Role.INSTRUCTOR
    stored = Membership.objects.get()
    # The role is the launch's; where the membership came from stays.
    assert (stored.role, stored.source) == (Role.INSTRUCTOR, Source.INVITE)


def test_enrolment_with_a_new_membership_takes_the_role(dl, student) -> None:
    membership = enrol(course=dl, user=student, role=Role.TA, source=Source.LTI)
    assert (membership.role, membership.source) == (Role.TA, Source.LTI)


def test_enrolment_refuses_a_role_that_does_not_exist(dl, student) -> None:
    with pytest.raises(ValueError):
        enrol(course=dl, user=student, role="Learner", source=Source.LTI)
    assert not Membership.objects.exists()


@pytest.mark.parametrize("role", [None, Role.INSTRUCTOR])
def test_two_first_launches_at_once_end_with_one_membership(
    dl, student, monkeypatch, role: str | None
) -> None:
    """The other launch inserted its row after this one looked: this one's
    insert fails on the unique constraint, and the other's row is used."""
    Membership.objects.create(course=dl, user=student, role=Role.TA)
    tried: list[dict[str, Any]] = []

    def looked_too_early(**kwargs: Any) -> tuple[Membership, bool]:
        tried.append(kwargs)
        raise IntegrityError("UNIQUE constraint failed: one_membership_per_course")

    monkeypatch.setattr(Membership.objects, "get_or_create", looked_too_early)
    membership = enrol(course=dl, user=student, role=role, source=Source.LTI)
    assert len(tried) == 1
    stored = Membership.objects.get()
    assert membership.pk == stored.pk
    assert stored.role == (role or Role.TA)


def test_memberships_of_are_the_active_courses(dl, student) -> None:
    closed = CourseFactory(is_active=False)
    MembershipFactory(course=dl, user=student)
    MembershipFactory(course=closed, user=student)
    MembershipFactory(course=CourseFactory())  # someone else's
    assert [m.course for m in memberships_of(student)] == [dl]
    assert memberships_of(AnonymousUser()) == []
