"""An instructor's own exercise for real: saved in the admin → PostgreSQL →
Redis → the Celery worker validates it in its warm sandbox → published → a
student's submission is graded by the same worker against the stored cases."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from exercises.models import CodingExercise, Submission
from tests.exercises.own_exercises import WRONG
from tests.exercises.test_own_exercise_admin import ADD, form_data
from tests.factories import CENTRE_REFERENCE, TopicFactory
from tests.workers import wait_for

pytestmark = pytest.mark.slow


def submit(client: Client, source: str) -> int:
    response = client.post("/exercises/centre/submit", {"source": source})
    assert response.status_code == 302, response.content
    return int(response["Location"].rstrip("/").split("/")[-1])


def graded(submission_id: int) -> Submission | None:
    submission = Submission.objects.get(pk=submission_id)
    return submission if submission.status in ("done", "error") else None


def test_an_own_exercise_is_validated_by_the_worker_then_grades_students(
    live_db: None,
    instructor: Any,
    student_client: Client,
    start_worker: Any,
    capsys: pytest.CaptureFixture[str],
) -> None:
    topic = TopicFactory(practice=True)
    worker = start_worker()
    worker.wait_warm()  # the steady state, not a worker's first seconds
    admin = Client()
    admin.force_login(instructor)

    started = time.monotonic()
    assert admin.post(ADD, form_data(topic)).status_code == 302
    exercise = CodingExercise.objects.get(slug="centre")
    wait_for(
        lambda: (
            CodingExercise.objects.get(pk=exercise.pk).validation_status
            in ("passed", "failed")
        ),
        90,
        "the validation",
    )
    waited_ms = (time.monotonic() - started) * 1000
    exercise.refresh_from_db()
    assert exercise.validation_status == "passed", exercise.validation_report
    assert len(exercise.generated_cases) == 4
    assert "exercises.tasks.validate_exercise" in worker.log.read_text()

    response = admin.post(
        "/admin/exercises/codingexercise/",
        {"action": "publish", "_selected_action": [exercise.pk]},
    )
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.is_published

    good, wrong = submit(student_client, CENTRE_REFERENCE), None
    wait_for(lambda: graded(good), 60, "the correct submission")
    wrong = submit(student_client, WRONG)
    wait_for(lambda: graded(wrong), 60, "the wrong submission")
    right = Submission.objects.get(pk=good)
    assert right.status == "done" and right.score == 1.0, right.error_message
    assert right.report["total"] == 4 and right.worker_id.startswith(worker.hostname)
    failed = Submission.objects.get(pk=wrong)
    assert failed.report["verdict"] == "failed" and failed.score < 1.0
    page = student_client.get(f"/submissions/{wrong}/").content.decode()
    assert "cases passed" in page

    with capsys.disabled():
        steps = ", ".join(
            f"{step['name']} {step['ms']:.0f} ms"
            for step in exercise.validation_report["steps"]
        )
        print(
            f"\nvalidation: {exercise.validation_report['duration_ms']:.0f} ms in the "
            f"worker ({steps}); {waited_ms:.0f} ms from the admin POST to passed"
        )
