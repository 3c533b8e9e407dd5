"""Instructors' own coding exercises: publishing rules, and students graded
against the stored cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from exercises.coding import submissions
from exercises.coding.own_exercises.publishing import PublishRefused, exercise_publish
from exercises.coding.own_exercises.validation import request_validation
from exercises.models import AuditEntry, CodingExercise, Submission, Topic
from tests.exercises.own_exercises import WRONG, topic, validate, validated
from tests.factories import CENTRE_REFERENCE, CodingExerciseFactory

pytestmark = pytest.mark.django_db
__all__ = ["topic", "validated"]  # fixtures


def test_publishing_is_refused_until_validated(topic: Topic) -> None:
    exercise = CodingExerciseFactory(own=True, topic=topic)
    with pytest.raises(PublishRefused, match="not validated"):
        exercise_publish(exercise=exercise, actor=None, published=True)
    exercise.is_published = True
    with pytest.raises(ValidationError) as caught:
        exercise.full_clean()
    assert "is_published" in caught.value.message_dict
    assert not CodingExercise.objects.get(pk=exercise.pk).is_published


def test_an_edit_after_validation_makes_it_stale(validated: CodingExercise) -> None:
    validated.reference_solution += "\n# a harmless edit\n"
    validated.save()
    with pytest.raises(PublishRefused, match="changed since the last validation"):
        exercise_publish(exercise=validated, actor=None, published=True)
    validated.reference_solution = CENTRE_REFERENCE
    assert exercise_publish(exercise=validated, actor=None, published=True) is True
    assert AuditEntry.objects.filter(action="publish").count() == 1


def test_publish_when_passed_publishes_after_the_validation(
    topic: Topic, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = validate(
        CodingExerciseFactory(own=True, topic=topic),
        django_capture_on_commit_callbacks,
        publish_when_passed=True,
    )
    assert exercise.is_published
    entry = AuditEntry.objects.get(action="publish")
    assert entry.summary == "Published automatically: the validation passed"


def test_an_engine_spec_exercise_needs_no_validation(topic: Topic) -> None:
    exercise = CodingExerciseFactory(
        own=True, topic=topic, engine_spec="iou", entry_point="", reference_solution=""
    )
    exercise.is_published = True
    exercise.full_clean()
    with pytest.raises(ValueError, match="engine spec"):
        request_validation(exercise=exercise, actor=None)


# ------------------------------------------------------------ students


def test_students_are_graded_against_the_stored_cases(
    validated: CodingExercise,
    student: Any,
    student_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    exercise_publish(exercise=validated, actor=None, published=True)
    with django_capture_on_commit_callbacks(execute=True):
        good = submissions.submission_create(
            user=student, exercise=validated, source=CENTRE_REFERENCE
        )
    good.refresh_from_db()
    assert good.status == "done" and good.score == 1.0, good.error_message
    assert good.report["total"] == 4 and good.report["mistake"] is None
    with django_capture_on_commit_callbacks(execute=True):
        wrong = submissions.submission_create(
            user=student, exercise=validated, source=WRONG
        )
    wrong.refresh_from_db()
    assert wrong.report["verdict"] == "failed" and wrong.score < 1
    page = student_client.get(f"/submissions/{wrong.pk}/").content.decode()
    assert "cases passed" in page and "values are wrong" in page
    # The hidden case's values stay hidden (feedback policy: after the due date).
    hidden = next(case for case in wrong.report["cases"] if case["hidden"])
    assert str(hidden["expected"][0])[:8] not in page


def test_an_unpublished_exercise_is_only_for_instructors(
    validated: CodingExercise, student_client: Client, instructor: Any
) -> None:
    assert student_client.get("/exercises/centre/").status_code == 404
    client = Client()
    client.force_login(instructor)
    page = client.get("/exercises/centre/")
    assert page.status_code == 200 and "Centre a vector" in page.content.decode()


def test_an_unvalidated_exercise_cannot_be_graded(
    topic: Topic, instructor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = CodingExerciseFactory(own=True, topic=topic)
    with django_capture_on_commit_callbacks(execute=True):
        submission = submissions.submission_create(
            user=instructor, exercise=exercise, source=CENTRE_REFERENCE
        )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ERROR
    assert "misconfigured" in submission.error_message
