"""Writing the course from the database back to bank files.

What an instructor changed in the admin goes back to files that
`load_course` reads, so the bank can be reviewed in a diff. Files are written
in a canonical form (fixed key order, multi-line text as YAML block scalars),
so exporting twice gives identical files and a load → export round trip
keeps every field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from exercises.bank import QUESTION_FIELDS
from exercises.models import CodingExercise, Lecture, Question, Topic

QUESTION_ORDER = [
    "slug", "kind", "title", "generator", "params", "prompt", "options", "shuffle", "answer",
    "variables", "tolerance", "mode", "items", "parts", "wrong", "explanation", "hints",
    "difficulty", "tags",
]  # fmt: skip
EXERCISE_ORDER = [
    "slug", "title", "engine_spec", "entry_point", "tolerance", "difficulty", "limits",
    "prompt", "starter_code", "reference_solution", "case_generator", "hints",
]  # fmt: skip
# An exercise has either an engine spec or its own code: the other side is empty.
EXERCISE_OPTIONAL = {
    "limits", "hints", "starter_code", "engine_spec", "entry_point", "tolerance",
    "reference_solution", "case_generator",
}  # fmt: skip


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Indent list items under their key, as people write YAML.
        super().increase_indent(flow, False)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = (
        "|"
        if "\n" in value
        and not any(line != line.rstrip() for line in value.splitlines())
        else None
    )
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def topic_filename(topic: Topic) -> str:
    lecture, _, section = topic.code.partition(".")
    return (
        f"{lecture}.{int(section):02d}-{topic.slug}.yaml"
        if section.isdigit()
        else f"{topic.code}-{topic.slug}.yaml"
    )


def course_export(root: Path) -> int:
    """Write course.yaml and one file per topic under `root`; return the file count."""
    root.mkdir(parents=True, exist_ok=True)
    lectures = list(Lecture.objects.order_by("number"))
    course: dict[str, Any] = {"lectures": [_lecture(lecture) for lecture in lectures]}
    prerequisites = _prerequisites()
    if prerequisites:
        course["prerequisites"] = prerequisites
    _write(root / "course.yaml", course)
    count = 1
    for lecture in lectures:
        folder = root / lecture.slug
        folder.mkdir(exist_ok=True)
        for topic in lecture.topics.order_by("order", "code"):
            _write(folder / topic_filename(topic), _topic(topic))
            count += 1
    return count


def _prerequisites() -> dict[str, list[str]]:
    """Topic code → the codes of its prerequisites, as course.yaml has them."""
    topics = Topic.objects.prefetch_related("prerequisites").order_by(
        "lecture__number", "order", "code"
    )
    return {
        topic.code: [other.code for other in topic.prerequisites.all()]
        for topic in topics
        if topic.prerequisites.all()
    }


def _write(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000
    )
    path.write_text(text, encoding="utf-8")


def _lecture(lecture: Lecture) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": lecture.number,
        "slug": lecture.slug,
        "title": lecture.title,
    }
    if lecture.subtitle:
        data["subtitle"] = lecture.subtitle
    return data


def _topic(topic: Topic) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": topic.code,
        "slug": topic.slug,
        "title": topic.title,
        "order": topic.order,
    }
    if topic.summary:
        data["summary"] = topic.summary
    if topic.cheat_sheet:
        data["cheat_sheet"] = topic.cheat_sheet
    questions = topic.questions.filter(is_published=True).order_by("order", "slug")
    if questions:
        data["questions"] = [_question(question) for question in questions]
    exercises = topic.coding_exercises.filter(is_published=True).order_by(
        "order", "slug"
    )
    if exercises:
        data["coding"] = [_exercise(exercise) for exercise in exercises]
    return data


def _question(question: Question) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slug": question.slug,
        "kind": question.kind,
        "title": question.title,
        "prompt": question.prompt,
        "explanation": question.explanation,
        "hints": question.hints,
        "difficulty": question.difficulty,
        "tags": question.tags,
        **{
            key: value
            for key, value in question.spec.items()
            if key not in QUESTION_FIELDS
        },
    }
    return _ordered(
        fields, QUESTION_ORDER, drop_empty={"title", "explanation", "hints", "tags"}
    )


def _exercise(exercise: CodingExercise) -> dict[str, Any]:
    fields = {
        "slug": exercise.slug,
        "title": exercise.title,
        "engine_spec": exercise.engine_spec,
        "entry_point": exercise.entry_point,
        "tolerance": exercise.tolerance,
        "difficulty": exercise.difficulty,
        "limits": exercise.limits,
        "prompt": exercise.prompt,
        "starter_code": exercise.starter_code,
        "reference_solution": exercise.reference_solution,
        "case_generator": exercise.case_generator,
        "hints": exercise.hints,
    }
    return _ordered(fields, EXERCISE_ORDER, drop_empty=EXERCISE_OPTIONAL)


def _ordered(
    fields: dict[str, Any], order: list[str], *, drop_empty: set[str]
) -> dict[str, Any]:
    keys = [key for key in order if key in fields] + sorted(
        key for key in fields if key not in order
    )
    return {
        key: fields[key] for key in keys if not (key in drop_empty and not fields[key])
    }
