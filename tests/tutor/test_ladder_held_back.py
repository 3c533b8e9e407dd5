"""While a coding exercise is graded work for a student, the practice pages
hold its solution back: the ladder's rungs 403 with the reason, and the rung
strip says when they open. Staff, other courses' students and everyone after
the assignment closes see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from exercises.models import CodingExercise
from tests.factories import CodingExerciseFactory
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    ExtensionFactory,
    MembershipFactory,
)
from tutor.courses.held_back import held_back
from tutor.courses.models import Membership

pytestmark = pytest.mark.django_db
RUNGS = ("ladder-worked", "ladder-faded", "ladder-parsons")


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


def _graded(exercise: CodingExercise, user, **dates):
    assignment = AssignmentFactory(published=True, title="Homework 3", **dates)
    AssignmentItemFactory(assignment=assignment, question=None, exercise=exercise)
    MembershipFactory(course=assignment.course, user=user)
    return assignment


@pytest.mark.parametrize("rung", RUNGS)
def test_it_holds_the_rungs_back_while_the_assignment_is_open(
    student, student_client, exercise, rung: str
) -> None:
    _graded(exercise, student)
    response = student_client.get(reverse(rung, args=[exercise.slug]))
    assert response.status_code == 403
    assert "Homework 3" in response.content.decode()


def test_the_exercise_page_says_when_the_rungs_open(
    student, student_client, exercise
) -> None:
    _graded(exercise, student)
    page = student_client.get(reverse("exercise", args=[exercise.slug]))
    text = page.content.decode()
    assert "rung-held-back" in text and "Homework 3" in text
    assert reverse("ladder-worked", args=[exercise.slug]) not in text


def test_the_rungs_open_when_the_assignment_closes(
    student, student_client, exercise
) -> None:
    now = timezone.now()
    _graded(
        exercise,
        student,
        opens_at=now - timedelta(days=9),
        due_at=now - timedelta(days=1),
    )
    response = student_client.get(reverse("ladder-worked", args=[exercise.slug]))
    assert response.status_code == 200


def test_an_extension_keeps_them_back_for_that_student_only(
    student, other_student, exercise
) -> None:
    now = timezone.now()
    assignment = _graded(
        exercise,
        student,
        opens_at=now - timedelta(days=9),
        due_at=now - timedelta(hours=1),
    )
    MembershipFactory(course=assignment.course, user=other_student)
    ExtensionFactory(
        assignment=assignment, user=student, due_at=now + timedelta(days=1)
    )
    assert held_back(user=student, exercise=exercise) is not None
    assert held_back(user=other_student, exercise=exercise) is None


def test_staff_of_the_course_and_outsiders_are_not_held_back(
    student, other_student, exercise
) -> None:
    assignment = _graded(exercise, student)
    MembershipFactory(
        course=assignment.course, user=other_student, role=Membership.Role.TA
    )
    assert held_back(user=other_student, exercise=exercise) is None
    outsider = _graded(CodingExerciseFactory(), other_student)
    assert outsider.course != assignment.course
    assert held_back(user=other_student, exercise=exercise) is None


def test_an_unpublished_assignment_holds_nothing_back(
    student, student_client, exercise
) -> None:
    assignment = _graded(exercise, student)
    assignment.is_published = False
    assignment.save()
    response = student_client.get(reverse("ladder-parsons", args=[exercise.slug]))
    assert response.status_code == 200


def test_the_fix_waits_while_the_exercise_is_graded_work(
    student, student_client
) -> None:
    from exercises.models import HintReveal
    from tests.factories.hints import (
        FailedSubmissionFactory,
        HintRevealFactory,
        move_to,
    )

    failed = FailedSubmissionFactory(user=student)
    _graded(failed.exercise, student)
    for level in (1, 2):
        reveal = HintRevealFactory(user=student, exercise=failed.exercise, level=level)
        move_to(reveal, timezone.now() - timedelta(minutes=10 - level))
    response = student_client.post(
        f"/submissions/{failed.pk}/hints", {"level": "3", "confirm": "yes"}
    )
    assert response.status_code == 403
    assert "Homework 3" in response.content.decode()
    assert not HintReveal.objects.filter(level=3).exists()
