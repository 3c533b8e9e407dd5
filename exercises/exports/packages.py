"""Downloadable exports, built in memory: the course as bank files in a zip,
Moodle XML of the bank or of one lecture or topic, and grader packages for a
coding exercise, a PrairieLearn question directory or a Gradescope
autograder.

A grader package holds the engine's Python source and a script that grades
with the engine's command line, `python -m engine grade <exercise> <file>
--format prairielearn|gradescope` (see `package_scripts`). Only exercises
with an engine spec get one: an instructor's own exercise is graded from
cases stored in the database, which the command line does not read.

Every archive is reproducible: entries in a fixed order with a fixed
timestamp, so exporting twice gives the same bytes.
"""

from __future__ import annotations

import io
import json
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.db.models import QuerySet
from django.utils import timezone

import engine
from engine.specs import get_spec
from exercises.exports import package_scripts as scripts
from exercises.exports.course_files import course_export
from exercises.exports.moodle import moodle_export
from exercises.exports.moodle_text import moodle_html
from exercises.models import CodingExercise, Lecture, Question, Topic

ZIP = "application/zip"
XML = "application/xml"
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
# The namespace of the PrairieLearn question ids: uuid5 of it and a slug is
# the same id at every export, so PrairieLearn keeps a question's records.
QUESTION_NAMESPACE = uuid.UUID("6f1c52a4-3c1e-4d47-9a55-2e0d4c1b8f10")
PRAIRIELEARN_IMAGE = "dltutor/engine-grader:torch-2.13.0"
PRAIRIELEARN_TIMEOUT = 120  # seconds; PrairieLearn allows up to 600
ENGINE_DIR = "tutor_engine"


@dataclass(frozen=True)
class Download:
    filename: str
    content_type: str
    content: bytes


# ------------------------------------------------------------- selections


def packaged_exercises() -> QuerySet[CodingExercise]:
    """The published coding exercises a grader package can be built for."""
    return (
        CodingExercise.objects.filter(is_published=True)
        .exclude(engine_spec="")
        .select_related("topic__lecture")
        .order_by("topic__lecture__number", "topic__order", "order", "slug")
    )


def moodle_questions(
    *, lecture: Lecture | None = None, topic: Topic | None = None
) -> QuerySet[Question]:
    questions = Question.objects.filter(is_published=True).select_related(
        "topic__lecture"
    )
    if topic is not None:
        return questions.filter(topic=topic)
    if lecture is not None:
        return questions.filter(topic__lecture=lecture)
    return questions


# ---------------------------------------------------------------- exports


def course_download() -> Download:
    """What `export_course` writes, as bank/… in a zip."""
    with tempfile.TemporaryDirectory(prefix="course-export-") as folder:
        root = Path(folder)
        course_export(root)
        files = {
            f"bank/{path.relative_to(root).as_posix()}": path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }
    stamp = f"{timezone.localdate():%Y%m%d}"
    return Download(f"course-bank-{stamp}.zip", ZIP, _zip(files))


def moodle_download(
    *,
    variants: int,
    lecture: Lecture | None = None,
    topic: Topic | None = None,
) -> Download:
    questions = moodle_questions(lecture=lecture, topic=topic)
    export = moodle_export(questions, variants=variants)
    if topic is not None:
        scope = f"topic-{topic.code}"
    elif lecture is not None:
        scope = f"lecture-{lecture.number}"
    else:
        scope = "bank"
    return Download(f"moodle-{scope}.xml", XML, export.xml)


def prairielearn_download(
    exercises: Iterable[CodingExercise], *, label: str
) -> Download:
    """PrairieLearn questions (one directory each) sharing one copy of the
    engine in serverFilesCourse, with the grader image's Dockerfile; `label`
    names the file."""
    chosen = list(exercises)
    files: dict[str, bytes | str] = {}
    for exercise in chosen:
        folder = f"questions/{exercise.slug}"
        for name, content in prairielearn_question(exercise).items():
            files[f"{folder}/{name}"] = content
    files.update(_engine_files(f"serverFilesCourse/{ENGINE_DIR}/"))
    files["grader-image/Dockerfile"] = scripts.PRAIRIELEARN_DOCKERFILE
    files["grader-image/requirements.txt"] = scripts.requirements_txt()
    files["README.md"] = scripts.PRAIRIELEARN_README.format(
        count=len(chosen), engine_dir=ENGINE_DIR, image=PRAIRIELEARN_IMAGE
    )
    return Download(f"prairielearn-{label}.zip", ZIP, _zip(files))


def gradescope_download(exercise: CodingExercise) -> Download:
    """A Gradescope autograder: setup.sh and run_autograder at the root."""
    spec = get_spec(exercise.engine_spec)
    filename = submission_filename(exercise)
    files: dict[str, bytes | str] = {
        "setup.sh": scripts.GRADESCOPE_SETUP,
        "run_autograder": scripts.GRADESCOPE_RUN.format(
            filename=filename, spec=spec.id
        ),
        "requirements.txt": scripts.requirements_txt(),
        "README.md": scripts.GRADESCOPE_README.format(
            title=exercise.title,
            filename=filename,
            entry_point=spec.entry_point,
            spec=spec.id,
            cases=len(spec.cases(0)),
        ),
        **_engine_files(""),
    }
    return Download(f"gradescope-{exercise.slug}.zip", ZIP, _zip(files))


# ------------------------------------------------------------ PrairieLearn


def question_uuid(exercise: CodingExercise) -> str:
    return str(uuid.uuid5(QUESTION_NAMESPACE, f"coding/{exercise.slug}"))


def submission_filename(exercise: CodingExercise) -> str:
    """The file a student submits: named after the function to write."""
    return f"{get_spec(exercise.engine_spec).entry_point}.py"


def prairielearn_question(exercise: CodingExercise) -> dict[str, str]:
    """The files of one question directory, by name."""
    spec = get_spec(exercise.engine_spec)
    filename = submission_filename(exercise)
    info = {
        "uuid": question_uuid(exercise),
        "title": exercise.title,
        "topic": exercise.topic.title,
        "tags": ["coding", f"lecture-{exercise.topic.lecture.number}"],
        "type": "v3",
        "singleVariant": True,
        "gradingMethod": "External",
        "externalGradingOptions": {
            "enabled": True,
            "image": PRAIRIELEARN_IMAGE,
            "serverFilesCourse": [f"{ENGINE_DIR}/"],
            "entrypoint": "/grade/tests/run.sh",
            "timeout": PRAIRIELEARN_TIMEOUT,
        },
    }
    files = {
        "info.json": json.dumps(info, indent=2, ensure_ascii=False) + "\n",
        "question.html": _question_html(exercise, filename),
        "tests/run.sh": scripts.PRAIRIELEARN_RUN.format(
            filename=filename, spec=spec.id, engine_dir=ENGINE_DIR
        ),
    }
    if exercise.starter_code:
        files["initial_code.py"] = exercise.starter_code
    return files


def _question_html(exercise: CodingExercise, filename: str) -> str:
    source = ' source-file-name="initial_code.py"' if exercise.starter_code else ""
    statement = moodle_html(exercise.prompt)
    # PrairieLearn renders question.html with Mustache: braces in the
    # statement (LaTeX's {{x}}) must not be read as tags.
    delimiters = "{{=<% %>=}}\n" if "{{" in statement or "}}" in statement else ""
    return (
        f"{delimiters}<pl-question-panel>\n"
        f"{statement}\n"
        f"<p>Write your solution in <code>{filename}</code>.</p>\n"
        f'<pl-file-editor file-name="{filename}" ace-mode="ace/mode/python"{source}>\n'
        "</pl-file-editor>\n"
        "</pl-question-panel>\n\n"
        "<pl-submission-panel>\n"
        "  <pl-external-grader-results></pl-external-grader-results>\n"
        "  <pl-file-preview></pl-file-preview>\n"
        "</pl-submission-panel>\n"
    )


# ------------------------------------------------------------------ files


def engine_root() -> Path:
    return Path(engine.__file__).resolve().parent


def _engine_files(prefix: str) -> dict[str, bytes | str]:
    """The engine package's Python source under `prefix`engine/."""
    root = engine_root()
    return {
        f"{prefix}engine/{path.relative_to(root).as_posix()}": path.read_bytes()
        for path in sorted(root.rglob("*.py"))
        if "__pycache__" not in path.parts
    }


EXECUTABLE = ("run_autograder", "setup.sh", "run.sh")


def _zip(files: Mapping[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if name.rsplit("/", 1)[-1] in EXECUTABLE else 0o644
            info.external_attr = (0o100000 | mode) << 16
            content = files[name]
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data)
    return buffer.getvalue()
