"""Who may do what in a course: the course role decides, not site staff.

A student sees the course's published assignments and their own work; a
teaching assistant also sees every member's work, the gradebook and item
analysis, and may regrade and grant extensions; an instructor also edits the
course and its assignments. Site superusers act as instructors everywhere
(they keep the admin); site staff without a course role get nothing here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from tutor.courses.models import Course, Membership

Role = Membership.Role
RANK = {Role.STUDENT: 0, Role.TA: 1, Role.INSTRUCTOR: 2}


def role_in(course: Course, user: Any) -> str | None:
    """The user's role in the course, or None."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.INSTRUCTOR
    membership = (
        Membership.objects.filter(course=course, user=user).only("role").first()
    )
    return membership.role if membership else None


def has_role(course: Course, user: Any, least: str) -> bool:
    role = role_in(course, user)
    return role is not None and RANK[Role(role)] >= RANK[Role(least)]


View = Callable[..., HttpResponse]


def course_role_required(least: str) -> Callable[[View], View]:
    """A view of one course (`code` in the URL), for members with at least
    `least`: the view gets `course` and `role` as keyword arguments. An
    anonymous visitor is sent to sign in; a non-member gets a 404 (a course's
    existence is not told to strangers); a member without the role, a 403."""

    needed = RANK[Role(least)]  # a wrong role name fails at import, not per request

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(
            request: HttpRequest, code: str, *args: Any, **kwargs: Any
        ) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            course = get_object_or_404(Course, code=code)
            role = role_in(course, request.user)
            if role is None:
                raise Http404("No such course.")
            if RANK[Role(role)] < needed:
                raise PermissionDenied(
                    "This page is for the course's "
                    + (
                        "instructors."
                        if least == Role.INSTRUCTOR
                        else "teaching staff."
                    )
                )
            return view(request, *args, course=course, role=role, **kwargs)

        return guarded

    return decorate


def courses_taught(user: Any) -> list[Course]:
    """The courses where the user is a TA or an instructor (none for an
    inactive account, which `role_in` gives no role either)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return list(Course.objects.filter(is_active=True))
    return list(
        Course.objects.filter(
            members__user=user, members__role__in=[Role.TA, Role.INSTRUCTOR]
        ).distinct()
    )


def course_for_code_or_404(code: str) -> Course:
    return get_object_or_404(Course, code=code)
