"""Instructors' own coding exercises: validation in the sandbox (through the
Celery task, eager here), its failures, and the sweeper that sends a lost
validation again."""

from __future__ import annotations

from typing import Any

import pytest

from engine.grader import default_runner
from engine.sandbox.outcome import SandboxError
from exercises.coding.own_exercises.publishing import PublishRefused, exercise_publish
from exercises.coding.own_exercises.validation import (
    exercise_validate,
    request_validation,
)
from exercises.models import AuditEntry, CodingExercise, Topic
from tests.exercises.own_exercises import topic, validate, validated
from tests.factories import CENTRE_REFERENCE, CodingExerciseFactory

pytestmark = pytest.mark.django_db
__all__ = ["topic", "validated"]  # fixtures


def test_a_validation_stores_the_cases_and_a_report(validated: CodingExercise) -> None:
    report = validated.validation_report
    assert [step["name"] for step in report["steps"]] == [
        "Check the fields",
        "Generate the cases",
        "Run the reference",
        "Grade the reference",
        "Grade the starter code",
    ]
    assert all(step["ok"] and step["ms"] >= 0 for step in report["steps"])
    assert report["cases"] == 4 and report["hidden"] == 1  # edge once + 3 random
    assert report["reference_report"]["verdict"] == "passed"
    assert report["starter_report"]["verdict"] == "failed"
    assert validated.validated_source_hash == validated.source_hash()
    assert validated.validated_at is not None
    first = validated.generated_cases[0]
    assert first["name"] == "case 1" and first["label"] == "edge: small"
    assert first["inputs"] == [["x", [1.0, 2.0, 3.0]]]
    assert first["expected"]["__array__"] == [-1.0, 0.0, 1.0]
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "validation_requested" in actions
    assert "validation_passed" in actions


@pytest.mark.parametrize(
    ("fields", "step", "says"),
    [
        (
            {"case_generator": "def cases(seed):\n    raise ValueError('no cases')\n"},
            "Generate the cases",
            "cases(0) raised ValueError: no cases",
        ),
        (
            {
                "case_generator": "def cases(seed):\n    return [{'inputs': {'x': {1}}}]\n"
            },
            "Generate the cases",
            "cannot return a value of type set",
        ),
        (
            {"case_generator": "def cases(seed):\n    return {'x': 1}\n"},
            "Generate the cases",
            "must return a non-empty list of cases",
        ),
        (
            {
                "reference_solution": "import time\n\ndef centre(x):\n"
                "    return time.perf_counter_ns()\n"
            },
            "Run the reference",
            "different outputs on case 1 (edge: small) in two runs",
        ),
        (
            {"reference_solution": "def centre(x)\n    return x\n"},
            "Run the reference",
            "The reference solution has a syntax error (line 1",
        ),
        (
            {"starter_code": CENTRE_REFERENCE},
            "Grade the starter code",
            "The starter code passes every case",
        ),
        ({"entry_point": "class"}, "Check the fields", "must be a function name"),
    ],
)
def test_a_faulty_exercise_fails_validation_with_a_clear_message(
    topic: Topic,
    django_capture_on_commit_callbacks: Any,
    fields: dict[str, str],
    step: str,
    says: str,
) -> None:
    exercise = validate(
        CodingExerciseFactory(own=True, topic=topic, **fields),
        django_capture_on_commit_callbacks,
    )
    assert exercise.validation_status == "failed"
    report = exercise.validation_report
    failed = [s for s in report["steps"] if s["ok"] is False]
    assert [s["name"] for s in failed] == [step]
    assert says in failed[0]["message"] and says in report["summary"]
    later = report["steps"][[s["name"] for s in report["steps"]].index(step) + 1 :]
    assert all(s["ok"] is None and s["message"] == "not run" for s in later)
    with pytest.raises(PublishRefused):
        exercise_publish(exercise=exercise, actor=None, published=True)


def test_a_sandbox_fault_is_a_failure_that_says_so(topic: Topic) -> None:
    class Broken:
        def run(self, job: Any, limits: Any, on_progress: Any = None) -> Any:
            raise SandboxError("the sandbox host closed its socket")

    exercise = CodingExerciseFactory(own=True, topic=topic, validation_status="queued")
    assert exercise_validate(exercise_id=exercise.pk, runner=Broken()) == "failed"
    exercise.refresh_from_db()
    assert "not a fault of your code" in exercise.validation_report["summary"]
    assert "closed its socket" in exercise.validation_report["summary"]


def test_a_validation_overtaken_by_an_edit_is_discarded(topic: Topic) -> None:
    """An edit during a validation queues a new one; the older result must not
    overwrite it (the claim token no longer matches)."""
    exercise = CodingExerciseFactory(own=True, topic=topic, validation_status="queued")

    class EditMidway:
        def run(self, job: Any, limits: Any, on_progress: Any = None) -> Any:
            if (
                CodingExercise.objects.get(pk=exercise.pk).validation_status
                == "running"
            ):
                CodingExercise.objects.filter(pk=exercise.pk).update(
                    reference_solution=CENTRE_REFERENCE + "\n# edited\n"
                )
                request_validation(exercise=exercise, actor=None)
            return default_runner().run(job, limits)

    assert exercise_validate(exercise_id=exercise.pk, runner=EditMidway()) is None
    exercise.refresh_from_db()
    assert exercise.validation_status == "queued" and not exercise.generated_cases
    assert exercise_validate(exercise_id=exercise.pk) == "passed"
    assert exercise_validate(exercise_id=exercise.pk) is None  # nothing left to do


def test_the_sweeper_sends_a_lost_validation_again(topic: Topic) -> None:
    """A validation queued while the broker was down stays queued; the sweeper
    sends it again once it is older than GRADING_REQUEUE_AFTER (eager here,
    so sending it runs it), and leaves a fresh one alone."""
    from datetime import timedelta

    from django.utils import timezone

    from exercises.coding.own_exercises.validation import validations_sweep

    exercise = CodingExerciseFactory(own=True, topic=topic)
    requested = {"requested_at": timezone.now().isoformat()}
    CodingExercise.objects.filter(pk=exercise.pk).update(
        validation_status="queued", validation_report=requested
    )
    assert validations_sweep() == 0
    exercise.refresh_from_db()
    assert exercise.validation_status == "queued"

    later = timezone.now() + timedelta(hours=1)
    assert validations_sweep(now=later) == 1
    exercise.refresh_from_db()
    assert exercise.validation_status == "passed"


def test_a_validated_exercise_gets_a_time_limit_fitted_to_its_reference(
    validated: CodingExercise, settings
) -> None:
    """50 times the reference's CPU time graded like a submission, 1–5 s; the
    site's limit stays a cap, and the exercise page states it."""
    from engine.fitted_limits import MULTIPLE_OF_ONE_REFERENCE, fitted_cpu_seconds
    from exercises.coding.grader import limits_for

    report = validated.validation_report
    assert report["reference_cpu_ms"] >= 0
    fitted = fitted_cpu_seconds(report["reference_cpu_ms"], MULTIPLE_OF_ONE_REFERENCE)
    assert report["fitted_cpu_seconds"] == fitted and 1.0 <= fitted <= 5.0
    limits = limits_for(validated)
    assert limits.cpu_seconds == min(fitted, settings.SANDBOX_CPU_SECONDS)
    assert limits.wall_seconds == min(2 * fitted + 5, settings.SANDBOX_WALL_SECONDS)
    settings.SANDBOX_CPU_SECONDS = 0.5
    assert limits_for(validated).cpu_seconds == 0.5
    validated.validation_report = {}  # never validated: the site's limit
    assert limits_for(validated).cpu_seconds == 0.5


def test_an_infinite_loop_in_an_own_exercise_stops_at_its_fitted_limit(
    validated: CodingExercise,
) -> None:
    from exercises.coding.grader import grade

    assert validated.validation_report["fitted_cpu_seconds"] < 5.0
    looping = "def centre(x):\n    while True:\n        pass\n"
    report = grade(validated, looping, seed=0)
    limit = validated.validation_report["fitted_cpu_seconds"]
    assert report.verdict == "time_limit", report.message
    assert f"more than {limit:g} s of CPU time" in report.message
