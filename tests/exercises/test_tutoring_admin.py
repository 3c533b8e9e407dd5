"""Instructors browse students' runs and ladder-rung answers in the admin,
read-only; students cannot."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.factories import CodingExerciseFactory
from tests.factories.ladder import RungAttemptFactory
from tests.factories.runs import CodeRunFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["coderun", "rungattempt"])
def test_instructors_list_them_and_cannot_change_them(
    client: Any, instructor: User, student: User, model: str
) -> None:
    exercise = CodingExerciseFactory(iou=True)
    CodeRunFactory(user=student, exercise=exercise)
    RungAttemptFactory(user=student, exercise=exercise)
    client.force_login(instructor)
    listing = client.get(f"/admin/exercises/{model}/")
    assert listing.status_code == 200
    assert listing.context["cl"].result_count == 1
    assert student.username in listing.content.decode()
    assert client.get(f"/admin/exercises/{model}/add/").status_code == 403


def test_students_do_not_see_them(client: Any, student: User) -> None:
    client.force_login(student)
    response = client.get("/admin/exercises/coderun/")
    assert response.status_code in (302, 403)
