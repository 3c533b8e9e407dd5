"""Instructors' own coding exercises in the bank files: exported, loaded again
(validated once more where the database lacks them), and checked by
validate_course in the sandbox."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from exercises.bank import course_load, course_read
from exercises.coding.own_exercises.publishing import exercise_publish
from exercises.exports.course_files import course_export
from exercises.models import CodingExercise, Topic
from tests.exercises.own_exercises import topic, validated
from tests.factories import CENTRE_REFERENCE

pytestmark = pytest.mark.django_db
__all__ = ["topic", "validated"]  # fixtures


def test_own_exercises_round_trip_through_the_bank_files(
    validated: CodingExercise, tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    exercise_publish(exercise=validated, actor=None, published=True)
    course_export(tmp_path)
    text = (tmp_path / "lecture-9" / "9.01-practice.yaml").read_text()
    assert "reference_solution: |\n" in text and "case_generator: |\n" in text
    assert "engine_spec" not in text
    entry = yaml.safe_load(text)["coding"][0]
    assert entry["reference_solution"] == CENTRE_REFERENCE
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
            "reference_solution": CENTRE_REFERENCE,
        }
    ]
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BankError, match="not both"):
        course_read(tmp_path)


def test_validate_course_runs_own_exercises_in_the_sandbox(
    validated: CodingExercise, tmp_path: Path
) -> None:
    from exercises.bank import course_objects
    from exercises.bank_checks import validate_course

    exercise_publish(exercise=validated, actor=None, published=True)
    # A starter that already passes, written past the admin's checks.
    CodingExercise.objects.filter(pk=validated.pk).update(starter_code=CENTRE_REFERENCE)
    course_export(tmp_path)
    summary = validate_course(*course_objects(course_read(tmp_path)))
    assert summary.exercises == 1
    [problem] = summary.problems
    assert problem.startswith("centre: The starter code passes every case")
