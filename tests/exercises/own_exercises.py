"""An instructor's own exercise, `centre(x)`, as the service, admin and
integration tests use it: its practice topic, a wrong answer, and the exercise
once its validation has passed in the sandbox."""

from __future__ import annotations

from typing import Any

import pytest

from exercises.coding.own_exercises.validation import request_validation
from exercises.models import CodingExercise, Topic
from tests.factories import CodingExerciseFactory, TopicFactory

WRONG = "import numpy as np\n\ndef centre(x):\n    return np.asarray(x) - 1.0\n"


@pytest.fixture
def topic(db: None) -> Topic:
    return TopicFactory(practice=True)


def validate(exercise: CodingExercise, capture: Any, **options: Any) -> CodingExercise:
    """Request a validation as the admin does; the task runs when the
    transaction commits (eagerly, in this process)."""
    with capture(execute=True):
        request_validation(exercise=exercise, actor=None, **options)
    exercise.refresh_from_db()
    return exercise


@pytest.fixture
def validated(topic: Topic, django_capture_on_commit_callbacks: Any) -> CodingExercise:
    exercise = CodingExerciseFactory(own=True, topic=topic)
    exercise = validate(exercise, django_capture_on_commit_callbacks)
    assert exercise.validation_status == "passed", exercise.validation_report
    return exercise
