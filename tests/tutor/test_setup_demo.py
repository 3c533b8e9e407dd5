"""`manage.py setup_demo`: the demo accounts and a demo course a newcomer can
open at once, made again without duplicates."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tutor.courses.access import role_in
from tutor.courses.models import Course

pytestmark = pytest.mark.django_db


def _setup() -> str:
    out = StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


def test_the_demo_course_has_both_accounts_and_a_published_assignment(
    course: None,
) -> None:
    printed = _setup()
    demo = Course.objects.get(code="demo")
    assert f"invite code {demo.invite_code}" in printed
    assert role_in(demo, User.objects.get(username="instructor")) == "instructor"
    assert role_in(demo, User.objects.get(username="student")) == "student"
    assignment = demo.assignments.get()
    assert assignment.is_published
    kinds = {
        "question" if item.question_id else "exercise"
        for item in assignment.items.all()
    }
    assert kinds == {"question", "exercise"}


def test_running_it_again_changes_nothing(course: None) -> None:
    _setup()
    _setup()
    demo = Course.objects.get(code="demo")
    assert demo.members.count() == 2 and demo.assignments.count() == 1
    assert demo.assignments.get().items.count() == 3
