from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from exercises.roles import INSTRUCTORS, STUDENTS, ensure_roles


class Command(BaseCommand):
    help = (
        "Create (or reset) a demo instructor and a demo student and print their "
        "credentials. For a local first run only."
    )

    def handle(self, *args: Any, **options: Any) -> str:
        ensure_roles()
        accounts = [
            (
                "instructor",
                os.environ.get("DEMO_INSTRUCTOR_PASSWORD", "instructor-demo"),
                INSTRUCTORS,
                True,
            ),
            (
                "student",
                os.environ.get("DEMO_STUDENT_PASSWORD", "student-demo"),
                STUDENTS,
                False,
            ),
        ]
        User = get_user_model()
        lines = []
        for username, password, group, staff in accounts:
            user, _ = User.objects.get_or_create(username=username)
            user.email = f"{username}@example.com"
            user.is_staff = staff
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            lines.append(
                f"  {group[:-1]:<10} username: {username:<11} password: {password}"
            )
        return "Demo accounts:\n" + "\n".join(lines)
