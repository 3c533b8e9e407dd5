"""Create the student and instructor groups after every migrate (idempotent)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

STUDENTS = "students"
INSTRUCTORS = "instructors"
INSTRUCTOR_APPS = ("exercises", "tutor")


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
