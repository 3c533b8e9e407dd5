"""Instructors' own coding exercises: validation in the sandbox (through the
Celery task, eager here), publishing rules, grading students against the
stored cases, the admin pages and the bank files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.test import Client

from engine.grader import default_runner
from engine.sandbox.outcome import SandboxError
from exercises import services
from exercises.bank import course_load, course_read
from exercises.bank_export import course_export
from exercises.models import AuditEntry, CodingExercise, Lecture, Submission, Topic
from exercises.services.authoring import (
    PublishRefused,
    exercise_publish,
    exercise_validate,
    request_validation,
    source_hash,
)

pytestmark = pytest.mark.django_db

GENERATOR = """\
import numpy as np

def cases(seed):
    rng = np.random.default_rng(seed)
    return [
        {"inputs": {"x": [1.0, 2.0, 3.0]}, "label": "edge: small"},
        {"inputs": {"x": rng.normal(size=4)}, "label": "random", "hidden": seed == 2},
    ]
"""
REFERENCE = """\
import numpy as np

def centre(x):
    x = np.asarray(x, dtype=float)
    return x - x.mean()
"""
STARTER = "def centre(x):\n    raise NotImplementedError\n"
WRONG = "import numpy as np\n\ndef centre(x):\n    return np.asarray(x) - 1.0\n"


@pytest.fixture
def topic() -> Topic:
    lecture = Lecture.objects.create(number=9, slug="lecture-9", title="Practice")
    return Topic.objects.create(
        lecture=lecture, code="9.1", slug="practice", title="Practice", order=1
    )


def own(topic: Topic, **fields: Any) -> CodingExercise:
    values = {
        "topic": topic,
        "slug": "centre",
        "title": "Centre a vector",
        "prompt": "Write `centre(x)`: subtract the mean.",
        "entry_point": "centre",
        "reference_solution": REFERENCE,
        "case_generator": GENERATOR,
        "starter_code": STARTER,
        "tolerance": {"abs": 1e-9, "rel": 1e-9},
        "hints": ["The mean of x is x.mean()."],
        "is_published": False,
        **fields,
    }
    return CodingExercise.objects.create(**values)


def validate(exercise: CodingExercise, capture: Any, **options: Any) -> CodingExercise:
    """Request a validation as the admin does; the task runs when the
    transaction commits (eagerly, in this process)."""
    with capture(execute=True):
        request_validation(exercise=exercise, actor=None, **options)
    exercise.refresh_from_db()
    return exercise


@pytest.fixture
def validated(topic: Topic, django_capture_on_commit_callbacks: Any) -> CodingExercise:
    exercise = validate(own(topic), django_capture_on_commit_callbacks)
    assert exercise.validation_status == "passed", exercise.validation_report
    return exercise


# ------------------------------------------------------------ validation


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
    assert validated.validated_source_hash == source_hash(validated)
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
            {"starter_code": REFERENCE},
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
    exercise = validate(own(topic, **fields), django_capture_on_commit_callbacks)
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

    exercise = own(topic, validation_status="queued")
    assert exercise_validate(exercise_id=exercise.pk, runner=Broken()) == "failed"
    exercise.refresh_from_db()
    assert "not a fault of your code" in exercise.validation_report["summary"]
    assert "closed its socket" in exercise.validation_report["summary"]


def test_a_validation_overtaken_by_an_edit_is_discarded(topic: Topic) -> None:
    """An edit during a validation queues a new one; the older result must not
    overwrite it (the claim token no longer matches)."""
    exercise = own(topic, validation_status="queued")

    class EditMidway:
        def run(self, job: Any, limits: Any, on_progress: Any = None) -> Any:
            if (
                CodingExercise.objects.get(pk=exercise.pk).validation_status
                == "running"
            ):
                CodingExercise.objects.filter(pk=exercise.pk).update(
                    reference_solution=REFERENCE + "\n# edited\n"
                )
                request_validation(exercise=exercise, actor=None)
            return default_runner().run(job, limits)

    assert exercise_validate(exercise_id=exercise.pk, runner=EditMidway()) is None
    exercise.refresh_from_db()
    assert exercise.validation_status == "queued" and not exercise.generated_cases
    assert exercise_validate(exercise_id=exercise.pk) == "passed"
    assert exercise_validate(exercise_id=exercise.pk) is None  # nothing left to do


# ------------------------------------------------------------ publishing


def test_publishing_is_refused_until_validated(topic: Topic) -> None:
    exercise = own(topic)
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
    validated.reference_solution = REFERENCE
    assert exercise_publish(exercise=validated, actor=None, published=True) is True
    assert AuditEntry.objects.filter(action="publish").count() == 1


def test_publish_when_passed_publishes_after_the_validation(
    topic: Topic, django_capture_on_commit_callbacks: Any
) -> None:
    exercise = validate(
        own(topic), django_capture_on_commit_callbacks, publish_when_passed=True
    )
    assert exercise.is_published
    entry = AuditEntry.objects.get(action="publish")
    assert entry.summary == "Published automatically: the validation passed"


def test_an_engine_spec_exercise_needs_no_validation(topic: Topic) -> None:
    exercise = own(topic, engine_spec="iou", entry_point="", reference_solution="")
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
        good = services.submission_create(
            user=student, exercise=validated, source=REFERENCE
        )
    good.refresh_from_db()
    assert good.status == "done" and good.score == 1.0, good.error_message
    assert good.report["total"] == 4 and good.report["mistake"] is None
    with django_capture_on_commit_callbacks(execute=True):
        wrong = services.submission_create(
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
    exercise = own(topic)
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.submission_create(
            user=instructor, exercise=exercise, source=REFERENCE
        )
    submission.refresh_from_db()
    assert submission.status == Submission.Status.ERROR
    assert "misconfigured" in submission.error_message


# ------------------------------------------------------------ bank files


def test_own_exercises_round_trip_through_the_bank_files(
    validated: CodingExercise, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    exercise_publish(exercise=validated, actor=None, published=True)
    course_export(tmp_path)
    text = (tmp_path / "lecture-9" / "9.01-practice.yaml").read_text()
    assert "reference_solution: |\n" in text and "case_generator: |\n" in text
    assert "engine_spec" not in text
    entry = yaml.safe_load(text)["coding"][0]
    assert entry["reference_solution"] == REFERENCE
    assert entry["tolerance"] == {"abs": 1e-9, "rel": 1e-9}

    # Loaded again unchanged: still validated, still published, nothing queued.
    assert course_load(course_read(tmp_path)).validating == 0
    assert CodingExercise.objects.get(slug="centre").is_published

    # Into a database without it: unpublished until its validation passes.
    CodingExercise.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=False) as pending:
        summary = course_load(course_read(tmp_path))
    loaded = CodingExercise.objects.get(slug="centre")
    assert summary.validating == 1 and len(pending) == 1
    assert not loaded.is_published and loaded.validation_status == "queued"
    for callback in pending:
        callback()
    loaded.refresh_from_db()
    assert loaded.validation_status == "passed" and loaded.is_published
    for name in ("entry_point", "reference_solution", "case_generator", "tolerance"):
        assert getattr(loaded, name) == getattr(validated, name), name
    assert loaded.generated_cases == validated.generated_cases


def test_a_bank_file_with_both_graders_is_refused(tmp_path: Path, topic: Topic) -> None:
    from exercises.bank import BankError

    course_export(tmp_path)
    path = tmp_path / "lecture-9" / "9.01-practice.yaml"
    data = yaml.safe_load(path.read_text())
    data["coding"] = [
        {
            "slug": "both",
            "title": "Both",
            "prompt": "?",
            "engine_spec": "iou",
            "reference_solution": REFERENCE,
        }
    ]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BankError, match="not both"):
        course_read(tmp_path)


def test_validate_course_runs_own_exercises_in_the_sandbox(
    validated: CodingExercise, tmp_path: Path
) -> None:
    from exercises.bank import course_objects
    from exercises.validation import validate_course

    exercise_publish(exercise=validated, actor=None, published=True)
    # A starter that already passes, written past the admin's checks.
    CodingExercise.objects.filter(pk=validated.pk).update(starter_code=REFERENCE)
    course_export(tmp_path)
    summary = validate_course(*course_objects(course_read(tmp_path)))
    assert summary.exercises == 1
    [problem] = summary.problems
    assert problem.startswith("centre: The starter code passes every case")


def test_the_sweeper_sends_a_lost_validation_again(topic: Topic) -> None:
    """A validation queued while the broker was down stays queued; the sweeper
    sends it again once it is older than GRADING_REQUEUE_AFTER (eager here,
    so sending it runs it), and leaves a fresh one alone."""
    from datetime import timedelta

    from django.utils import timezone

    from exercises.services.authoring import validations_sweep

    exercise = own(topic)
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
