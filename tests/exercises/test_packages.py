"""The downloadable exports: the course zip loads back, the grader packages
grade a submission with their own scripts, as PrairieLearn and Gradescope
would run them (the roots and the interpreter pointed at a temporary copy)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from exercises.bank import course_read
from exercises.exports import package_scripts
from exercises.exports.packages import (
    ENGINE_DIR,
    PRAIRIELEARN_IMAGE,
    course_download,
    gradescope_download,
    moodle_download,
    packaged_exercises,
    prairielearn_download,
    prairielearn_question,
    question_uuid,
)
from exercises.models import CodingExercise, Lecture, Question
from tests.factories import CodingExerciseFactory, QuestionFactory, TopicFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "tests" / "engine" / "samples" / "iou"


def unpack(content: bytes, into: Path) -> zipfile.ZipFile:
    """Extract with the modes the archive records (zipfile drops them)."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    for info in archive.infolist():
        archive.extract(info, into)
        (into / info.filename).chmod((info.external_attr >> 16) & 0o777)
    return archive


def run_script(script: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def iou() -> CodingExercise:
    return CodingExerciseFactory(iou=True, starter_code="def iou(box_a, box_b):\n")


# ------------------------------------------------------------- Gradescope


def gradescope_root(tmp_path: Path, exercise: CodingExercise) -> Path:
    """/autograder as Gradescope lays it out: the zip under source/."""
    root = tmp_path / "autograder"
    unpack(gradescope_download(exercise).content, root / "source")
    (root / "submission").mkdir()
    return root


def grade_on_gradescope(root: Path, submission: Path | None) -> dict:
    if submission is not None:
        (root / "submission" / "iou.py").write_bytes(submission.read_bytes())
    result = run_script(
        root / "source" / "run_autograder",
        {"AUTOGRADER_ROOT": str(root), "AUTOGRADER_PYTHON": sys.executable},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_it_lays_out_a_gradescope_autograder(iou: CodingExercise) -> None:
    download = gradescope_download(iou)
    assert download.filename == "gradescope-iou.zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = set(archive.namelist())
    assert {"setup.sh", "run_autograder", "requirements.txt", "README.md"} <= names
    assert {"engine/__init__.py", "engine/cli.py", "engine/specs/__init__.py"} <= names
    assert not any("__pycache__" in name for name in names)
    setup = archive.read("setup.sh").decode()
    assert "torch==2.13.0" in archive.read("requirements.txt").decode()
    assert "-r /autograder/source/requirements.txt" in setup
    run = archive.read("run_autograder").decode()
    assert "-m engine grade iou" in run and "--format gradescope" in run
    assert 'ROOT="${AUTOGRADER_ROOT:-/autograder}"' in run
    assert 'RESULTS="$ROOT/results/results.json"' in run
    assert 'cp "$ROOT/submission/iou.py"' in run
    for name in ("setup.sh", "run_autograder"):
        assert archive.getinfo(name).external_attr >> 16 & 0o111


def test_the_gradescope_script_gives_a_correct_solution_full_points(
    iou: CodingExercise, tmp_path: Path
) -> None:
    results = grade_on_gradescope(
        gradescope_root(tmp_path, iou), SAMPLES / "correct-numpy.py"
    )
    assert results["tests"]
    assert all(test["status"] == "passed" for test in results["tests"])
    assert results["score"] == sum(test["max_score"] for test in results["tests"])


def test_the_gradescope_script_gives_a_wrong_solution_less(
    iou: CodingExercise, tmp_path: Path
) -> None:
    results = grade_on_gradescope(
        gradescope_root(tmp_path, iou), SAMPLES / "wrong-iou-no-clamp.py"
    )
    full = sum(test["max_score"] for test in results["tests"])
    assert 0 <= results["score"] < full


def test_the_gradescope_script_names_the_file_it_missed(
    iou: CodingExercise, tmp_path: Path
) -> None:
    results = grade_on_gradescope(gradescope_root(tmp_path, iou), None)
    assert results["score"] == 0
    assert "iou.py" in results["output"]


# ----------------------------------------------------------- PrairieLearn


def test_prairielearn_info_json_names_the_grader(iou: CodingExercise) -> None:
    archive = zipfile.ZipFile(
        io.BytesIO(prairielearn_download([iou], label="iou").content)
    )
    info = json.loads(archive.read("questions/iou/info.json"))
    assert info["uuid"] == question_uuid(iou)
    assert info["type"] == "v3" and info["gradingMethod"] == "External"
    options = info["externalGradingOptions"]
    assert options["enabled"] is True
    assert options["image"] == PRAIRIELEARN_IMAGE
    assert options["entrypoint"] == "/grade/tests/run.sh"
    assert options["serverFilesCourse"] == [f"{ENGINE_DIR}/"]
    assert 0 < options["timeout"] <= 600
    run = archive.read("questions/iou/tests/run.sh").decode()
    assert "-m engine grade iou" in run and "--format prairielearn" in run
    html = archive.read("questions/iou/question.html").decode()
    assert "<p>Write iou.</p>" in html
    assert 'file-name="iou.py"' in html and "initial_code.py" in html
    assert archive.read("questions/iou/initial_code.py").decode() == iou.starter_code
    assert f"serverFilesCourse/{ENGINE_DIR}/engine/cli.py" in archive.namelist()


def test_braces_in_a_statement_are_not_read_as_mustache_tags(
    iou: CodingExercise,
) -> None:
    braces = CodingExerciseFactory(slug="braces", prompt="Sum $x_{{i}}$ over $i$.")
    html = prairielearn_question(braces)["question.html"]
    assert html.startswith("{{=<% %>=}}\n<pl-question-panel>")
    assert "x_{{i}}" in html
    assert prairielearn_question(iou)["question.html"].startswith("<pl-question")


def test_question_ids_are_stable_and_distinct(iou: CodingExercise) -> None:
    other = CodingExerciseFactory(slug="iou-again")
    assert question_uuid(iou) == question_uuid(CodingExercise.objects.get(pk=iou.pk))
    assert question_uuid(iou) != question_uuid(other)
    first = prairielearn_download([iou, other], label="exercises")
    assert first.filename == "prairielearn-exercises.zip"
    assert (
        prairielearn_download([iou, other], label="exercises").content == first.content
    )


def test_the_prairielearn_script_grades_a_submission(
    iou: CodingExercise, tmp_path: Path
) -> None:
    """/grade as PrairieLearn lays it out: serverFilesCourse, tests, student."""
    unpacked = tmp_path / "course"
    unpack(prairielearn_download([iou], label="iou").content, unpacked)
    grade = tmp_path / "grade"
    (grade / "serverFilesCourse").mkdir(parents=True)
    (unpacked / "serverFilesCourse" / ENGINE_DIR).rename(
        grade / "serverFilesCourse" / ENGINE_DIR
    )
    (unpacked / "questions" / "iou" / "tests").rename(grade / "tests")
    (grade / "student").mkdir()
    (grade / "student" / "iou.py").write_bytes(
        (SAMPLES / "correct-plain-python.py").read_bytes()
    )
    env = {"GRADE_ROOT": str(grade), "GRADER_PYTHON": sys.executable}
    result = run_script(grade / "tests" / "run.sh", env)
    assert result.returncode == 0, result.stdout + result.stderr
    results = json.loads((grade / "results" / "results.json").read_text())
    assert results["gradable"] is True and results["score"] == 1
    (grade / "student" / "iou.py").write_text("def iou(:\n")
    run_script(grade / "tests" / "run.sh", env)
    broken = json.loads((grade / "results" / "results.json").read_text())
    assert broken["gradable"] is False and broken["score"] == 0


def test_only_published_exercises_with_an_engine_spec_get_packages(
    iou: CodingExercise,
) -> None:
    CodingExerciseFactory(own=True, is_published=True)
    CodingExerciseFactory(slug="draft", is_published=False)
    assert [exercise.slug for exercise in packaged_exercises()] == ["iou"]


def test_the_packages_pin_what_the_site_pins() -> None:
    pinned = {
        line.split("#")[0].strip()
        for line in (ROOT / "requirements" / "base.txt").read_text().splitlines()
    }
    assert set(package_scripts.ENGINE_REQUIREMENTS) <= pinned


# ------------------------------------------------------ course and Moodle


def test_the_course_zip_loads_back_with_the_bank_reader(
    course: None, tmp_path: Path
) -> None:
    download = course_download()
    assert download.filename.startswith("course-bank-")
    assert download.content_type == "application/zip"
    unpack(download.content, tmp_path)
    read = course_read(tmp_path / "bank")
    assert len(read.lectures) == Lecture.objects.count()
    assert read.question_count == Question.objects.filter(is_published=True).count()
    assert (
        read.exercise_count == CodingExercise.objects.filter(is_published=True).count()
    )
    # The topics' prerequisites travel in course.yaml, as the bank has them.
    assert read.prerequisites
    bank = course_read().prerequisites
    assert {code: set(before) for code, before in read.prerequisites.items()} == {
        code: set(before) for code, before in bank.items()
    }


def test_moodle_xml_of_one_topic_holds_that_topic_only() -> None:
    first, second = TopicFactory(title="First"), TopicFactory(title="Second")
    QuestionFactory(topic=first, title="In the first")
    QuestionFactory(topic=second, title="In the second")
    QuestionFactory(topic=first, title="A draft", is_published=False)
    download = moodle_download(variants=0, topic=first)
    assert download.filename == f"moodle-topic-{first.code}.xml"
    xml = download.content.decode()
    assert "In the first" in xml
    assert "In the second" not in xml and "A draft" not in xml
    whole = moodle_download(variants=0).content.decode()
    assert "In the first" in whole and "In the second" in whole
