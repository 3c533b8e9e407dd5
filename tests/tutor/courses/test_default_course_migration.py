"""The data migration courses 0002: everyone with an account before courses
existed joins one default course, with the role they had (staff in the
instructors group and superusers as instructors, everyone else as a student),
and nothing of theirs is lost; on an empty database it makes nothing; and it
can be unapplied.

Run with Django's MigrationExecutor, on the historical models of each state;
the database is migrated back to the latest state afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("courses", "0001_initial")]
AFTER = [("courses", "0002_default_course")]
ALPHABET = set("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")


def migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to `targets`; the apps (historical models) of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def before() -> Iterator[Any]:
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def make_users(apps: Any) -> dict[str, Any]:
    User = apps.get_model("auth", "User")
    Group = apps.get_model("auth", "Group")
    QuizAttempt = apps.get_model("exercises", "QuizAttempt")
    User.objects.all().delete()
    instructors, _ = Group.objects.get_or_create(name="instructors")
    students, _ = Group.objects.get_or_create(name="students")
    cast = {
        "alice": User.objects.create(username="alice"),
        "carol": User.objects.create(username="carol", is_staff=True),
        "root": User.objects.create(username="root", is_staff=True, is_superuser=True),
        # Staff outside the instructors group, and the group without staff:
        # neither is an instructor (exercises.roles.is_instructor).
        "dave": User.objects.create(username="dave", is_staff=True),
        "erin": User.objects.create(username="erin"),
        "gone": User.objects.create(username="gone", is_active=False),
    }
    cast["alice"].groups.add(students)
    cast["carol"].groups.add(instructors)
    cast["erin"].groups.add(instructors)
    Question = apps.get_model("exercises", "Question")
    Topic = apps.get_model("exercises", "Topic")
    Lecture = apps.get_model("exercises", "Lecture")
    lecture = Lecture.objects.create(number=106, slug="l106", title="L")
    topic = Topic.objects.create(lecture=lecture, code="106.1", slug="t", title="T")
    question = Question.objects.create(
        topic=topic, slug="q", kind="numeric", prompt="?", spec={"answer": 1}
    )
    QuizAttempt.objects.create(
        user=cast["alice"], question=question, seed=0, answer={}, is_correct=True,
        score=1.0,
    )  # fmt: skip
    return cast


def test_everyone_joins_one_default_course_with_their_role(before) -> None:
    cast = make_users(before)
    after = migrate(AFTER)
    Course = after.get_model("courses", "Course")
    Membership = after.get_model("courses", "Membership")
    [course] = Course.objects.all()
    assert (course.code, course.is_active) == ("default", True)
    roles = {
        m.user.username: (m.role, m.source)
        for m in Membership.objects.select_related("user")
    }
    assert roles == {
        "alice": ("student", "migration"),
        "carol": ("instructor", "migration"),
        "root": ("instructor", "migration"),
        "dave": ("student", "migration"),
        "erin": ("student", "migration"),
        "gone": ("student", "migration"),
    }
    assert set(Membership.objects.values_list("course", flat=True)) == {course.pk}
    # Nothing of theirs is lost.
    QuizAttempt = after.get_model("exercises", "QuizAttempt")
    assert QuizAttempt.objects.get().user_id == cast["alice"].pk


def test_the_default_courses_invite_code_cannot_be_guessed(before) -> None:
    make_users(before)
    after = migrate(AFTER)
    code = after.get_model("courses", "Course").objects.get().invite_code
    assert len(code) == 10 and set(code) <= ALPHABET


def test_on_an_empty_database_nothing_is_made(before) -> None:
    before.get_model("auth", "User").objects.all().delete()
    after = migrate(AFTER)
    assert not after.get_model("courses", "Course").objects.exists()
    assert not after.get_model("courses", "Membership").objects.exists()


def test_unapplying_it_removes_the_default_course_and_keeps_the_users(
    before,
) -> None:
    make_users(before)
    migrate(AFTER)
    back = migrate(BEFORE)
    assert not back.get_model("courses", "Course").objects.exists()
    assert not back.get_model("courses", "Membership").objects.exists()
    assert back.get_model("auth", "User").objects.count() == 6
