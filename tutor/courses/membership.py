"""Joining a course and changing who is in it."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from tutor.courses.models import Course, Membership


class JoinRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def join_by_invite(*, user: Any, code: str) -> Membership:
    """Join the active course whose invite code this is, as a student (an
    existing membership keeps its role)."""
    cleaned = "".join(code.split()).upper()[:20]
    course = Course.objects.filter(invite_code=cleaned, is_active=True).first()
    if course is None:
        raise JoinRefused(
            "No open course has this invite code. Check it with your instructor."
        )
    return enrol(course=course, user=user, role=None, source=Membership.Source.INVITE)


def enrol(*, course: Course, user: Any, role: str | None, source: str) -> Membership:
    """The user's membership, created as a student (or `role`) if missing;
    `role`, when given, replaces the stored one (an LMS launch says it)."""
    if role is not None and role not in Membership.Role.values:
        raise ValueError(f"No course role {role!r}.")
    try:
        with transaction.atomic():
            membership, created = Membership.objects.get_or_create(
                course=course,
                user=user,
                defaults={"role": role or Membership.Role.STUDENT, "source": source},
            )
    except IntegrityError:  # two first launches at once
        membership, created = Membership.objects.get(course=course, user=user), False
    if not created and role is not None and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def memberships_of(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, course__is_active=True)
        .select_related("course")
        .order_by("-course__created_at")
    )
