"""Roles, in one place for the admin and the site: the student and
instructor groups (created after every migrate, idempotently), who counts as
an instructor, and the guards of the instructors' pages (staff in the
instructors group, or a superuser; anyone else signed in gets a 403, an
anonymous visitor is sent to sign in)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

STUDENTS = "students"
INSTRUCTORS = "instructors"
INSTRUCTOR_APPS = ("exercises", "tutor", "courses")


def ensure_roles(**kwargs: Any) -> None:
    Group.objects.get_or_create(name=STUDENTS)
    instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    permissions = Permission.objects.filter(content_type__app_label__in=INSTRUCTOR_APPS)
    user_permissions = Permission.objects.filter(
        content_type__app_label="auth", codename__in=["view_user", "view_group"]
    )
    # Sign-in lockouts (django-axes): deleting an access attempt unlocks it.
    lockout_permissions = Permission.objects.filter(
        content_type__app_label="axes",
        codename__in=["view_accessattempt", "delete_accessattempt"],
    )
    instructors.permissions.add(*permissions, *user_permissions, *lockout_permissions)


def connect() -> None:
    from django.db.models.signals import post_migrate

    # Every app's post_migrate, since permissions appear app by app.
    post_migrate.connect(ensure_roles, dispatch_uid="exercises.ensure_roles")


def is_instructor(user: Any) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(user.is_staff and user.groups.filter(name=INSTRUCTORS).exists())


View = Callable[..., HttpResponse]


def instructor_required(view: View) -> View:
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_instructor(request.user):
            raise PermissionDenied("This page is for instructors.")
        return view(request, *args, **kwargs)

    return guarded


class InstructorRequiredMixin(AccessMixin):
    """The class-view form of `instructor_required`."""

    raise_exception = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_instructor(request.user):
            raise PermissionDenied("This page is for instructors.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
