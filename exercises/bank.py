"""The question bank on disk: YAML files an instructor can read and diff.

Layout under `exercises/bank/`:

    course.yaml                 lectures: number, slug, title, subtitle; the
                                topics' prerequisites, by code
    lecture-6/6.10-yolo.yaml    one file per topic: the topic, its summary and
                                cheat-sheet entries, its questions, its coding
                                exercises

`course_read` parses and validates every file (raising `BankError` that names
the file and the field), and `course_load` writes it to the database: updated
in place by slug, never deleting a student's attempt or submission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from exercises.bank_prerequisites import prerequisites_read
from exercises.coding.own_exercises.validation import request_validation
from exercises.models import CodingExercise, Lecture, Question, Topic

BANK_DIR = Path(__file__).resolve().parent / "bank"
QUESTION_KINDS = {choice.value for choice in Question.Kind}
QUESTION_FIELDS = {
    "slug",
    "kind",
    "title",
    "prompt",
    "explanation",
    "hints",
    "difficulty",
    "tags",
}
EXERCISE_FIELDS = {
    "slug", "title", "prompt", "starter_code", "engine_spec", "hints", "difficulty",
    "limits", "entry_point", "reference_solution", "case_generator", "tolerance",
}  # fmt: skip
# An own exercise (no engine spec) needs these instead.
OWN_EXERCISE_FIELDS = ("entry_point", "reference_solution", "case_generator")


class BankError(ValueError):
    pass


@dataclass
class TopicFile:
    path: Path
    lecture_slug: str
    data: dict[str, Any]


@dataclass
class Course:
    lectures: list[dict[str, Any]]
    topics: list[TopicFile] = field(default_factory=list)
    # Topic code → the codes of the topics to master first.
    prerequisites: dict[str, list[str]] = field(default_factory=dict)

    @property
    def question_count(self) -> int:
        return sum(len(topic.data.get("questions", [])) for topic in self.topics)

    @property
    def exercise_count(self) -> int:
        return sum(len(topic.data.get("coding", [])) for topic in self.topics)


def course_read(root: Path = BANK_DIR) -> Course:
    course_file = root / "course.yaml"
    data = _yaml(course_file)
    lectures = _require(data, "lectures", list, course_file)
    course = Course(lectures=lectures)
    slugs: set[str] = set()
    for lecture in lectures:
        for key in ("number", "slug", "title"):
            _require(lecture, key, object, course_file)
        for path in sorted((root / lecture["slug"]).glob("*.yaml")):
            topic = TopicFile(path, lecture["slug"], _yaml(path))
            _validate_topic(topic, slugs)
            course.topics.append(topic)
    codes = {str(topic.data["code"]) for topic in course.topics}
    try:
        course.prerequisites = prerequisites_read(data.get("prerequisites"), codes)
    except ValueError as exc:
        raise BankError(f"{course_file}: `prerequisites`: {exc}") from None
    return course


# libyaml's safe loader when PyYAML was built with it (the wheels are): the
# same documents, ten times faster than the pure-Python one (0.06 s against
# 0.58 s for the whole bank), which every `load_course` and test paid.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)  # noqa: S506 (a safe loader)
    except (OSError, yaml.YAMLError) as exc:
        raise BankError(f"{path}: {exc}") from None
    if not isinstance(data, dict):
        raise BankError(f"{path}: expected a mapping at the top level")
    return data


def _require(data: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    if key not in data:
        raise BankError(f"{path}: missing `{key}`")
    if kind is not object and not isinstance(data[key], kind):
        raise BankError(f"{path}: `{key}` must be a {kind.__name__}")
    return data[key]


def _require_texts(data: dict[str, Any], key: str, path: Path) -> None:
    """A list of plain texts. YAML reads an unquoted `- word: more` as a
    mapping, so a hint with a colon in it must be quoted; say so."""
    for item in data.get(key) or []:
        if not isinstance(item, str):
            raise BankError(
                f"{path}: every entry of `{key}` must be text; quote an entry "
                f"that contains `: ` (YAML read {item!r} as a mapping)"
            )


def _validate_topic(topic: TopicFile, slugs: set[str]) -> None:
    path, data = topic.path, topic.data
    for key in ("code", "slug", "title", "order"):
        _require(data, key, object, path)
    for entry in data.get("cheat_sheet", []):
        if "formula" not in entry:
            raise BankError(f"{path}: every cheat-sheet entry needs a `formula`")
    for question in data.get("questions", []):
        slug = _require(question, "slug", str, path)
        where = Path(f"{path} (question {slug})")
        if slug in slugs:
            raise BankError(f"{where}: the slug is used twice")
        slugs.add(slug)
        if question.get("kind") not in QUESTION_KINDS:
            raise BankError(f"{where}: `kind` must be one of {sorted(QUESTION_KINDS)}")
        _require(question, "prompt", str, where)
        _require_texts(question, "hints", where)
        problem = question_problem(question)
        if problem:
            raise BankError(f"{where}: {problem}")
    for exercise in data.get("coding", []):
        slug = _require(exercise, "slug", str, path)
        where = Path(f"{path} (exercise {slug})")
        for key in ("title", "prompt"):
            _require(exercise, key, str, where)
        _require_texts(exercise, "hints", where)
        _validate_grader(exercise, where)


def _validate_grader(exercise: dict[str, Any], where: Path) -> None:
    """An engine spec, or an own reference and case generator: exactly one."""
    spec = exercise.get("engine_spec")
    own = [key for key in OWN_EXERCISE_FIELDS if exercise.get(key)]
    if spec and own:
        raise BankError(
            f"{where}: give an `engine_spec` or your own {', '.join(own)}, not both"
        )
    if spec:
        if spec not in _engine_spec_ids():
            raise BankError(f"{where}: no engine spec `{spec}`")
        return
    for key in OWN_EXERCISE_FIELDS:
        _require(exercise, key, str, where)
    tolerance = exercise.get("tolerance", {})
    if not isinstance(tolerance, dict) or set(tolerance) - {"abs", "rel"}:
        raise BankError(f'{where}: `tolerance` must be {{"abs": …, "rel": …}}')


def question_problem(question: dict[str, Any]) -> str | None:
    """What is missing or inconsistent in one question's fields, if anything."""
    from exercises.authoring_checks import question_problems

    problems = question_problems(question)
    return problems[0][1] if problems else None


def _engine_spec_ids() -> set[str]:
    from engine.specs import all_specs

    return {spec.id for spec in all_specs()}


@dataclass(frozen=True)
class LoadSummary:
    lectures: int
    topics: int
    questions: int
    exercises: int
    unpublished: int
    # Own exercises whose code is new or changed: unpublished, and published
    # again by their validation (queued when the load commits) if it passes.
    validating: int = 0


@transaction.atomic
def course_load(course: Course) -> LoadSummary:
    lectures = {
        entry["slug"]: Lecture.objects.update_or_create(
            slug=entry["slug"],
            defaults={
                "number": entry["number"],
                "title": entry["title"],
                "subtitle": entry.get("subtitle", ""),
            },
        )[0]
        for entry in course.lectures
    }
    question_slugs: list[str] = []
    exercise_slugs: list[str] = []
    to_validate: list[CodingExercise] = []
    topics: dict[str, Topic] = {}
    for topic_file in course.topics:
        topic = _topic_save(topic_file, lectures[topic_file.lecture_slug])
        topics[topic.code] = topic
        for order, data in enumerate(topic_file.data.get("questions", [])):
            _question_save(topic, order, data)
            question_slugs.append(data["slug"])
        for order, data in enumerate(topic_file.data.get("coding", [])):
            exercise, needs_validation = _exercise_save(topic, order, data)
            if needs_validation:
                to_validate.append(exercise)
            exercise_slugs.append(data["slug"])
    for code, topic in topics.items():
        topic.prerequisites.set(
            [topics[other] for other in course.prerequisites.get(code, [])]
        )
    for exercise in to_validate:
        request_validation(exercise=exercise, actor=None, publish_when_passed=True)
    # Content gone from the files is unpublished, never deleted: students'
    # attempts and submissions point at it. What instructors wrote in the
    # admin and never exported is not the files' to withdraw: Docker Compose
    # loads the course at every start of the site.
    unpublished = (
        Question.objects.filter(from_bank=True, is_published=True)
        .exclude(slug__in=question_slugs)
        .update(is_published=False)
    )
    unpublished += (
        CodingExercise.objects.filter(from_bank=True, is_published=True)
        .exclude(slug__in=exercise_slugs)
        .update(is_published=False)
    )
    return LoadSummary(
        len(lectures),
        len(course.topics),
        len(question_slugs),
        len(exercise_slugs),
        unpublished,
        len(to_validate),
    )


def _topic_save(topic_file: TopicFile, lecture: Lecture) -> Topic:
    topic, _ = Topic.objects.update_or_create(
        slug=topic_file.data["slug"],
        defaults={**topic_fields(topic_file.data), "lecture": lecture},
    )
    return topic


def question_fields(data: dict[str, Any]) -> dict[str, Any]:
    """A question's model fields from its bank entry (the rest is its spec)."""
    return {
        "kind": data["kind"],
        "title": data.get("title", ""),
        "prompt": data["prompt"],
        "spec": {
            key: value for key, value in data.items() if key not in QUESTION_FIELDS
        },
        "explanation": data.get("explanation", ""),
        "hints": data.get("hints", []),
        "difficulty": data.get("difficulty", 1),
        "tags": data.get("tags", []),
    }


def exercise_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "prompt": data["prompt"],
        "starter_code": data.get("starter_code", ""),
        "engine_spec": data.get("engine_spec", ""),
        "entry_point": data.get("entry_point", ""),
        "reference_solution": data.get("reference_solution", ""),
        "case_generator": data.get("case_generator", ""),
        "tolerance": data.get("tolerance", {}),
        "hints": data.get("hints", []),
        "limits": data.get("limits", {}),
        "difficulty": data.get("difficulty", 2),
    }


def topic_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": str(data["code"]),
        "title": data["title"],
        "summary": data.get("summary", ""),
        "cheat_sheet": data.get("cheat_sheet", []),
        "order": data["order"],
    }


def course_objects(
    course: Course,
) -> tuple[list[Question], list[CodingExercise], list[Topic]]:
    """Unsaved model objects for every question, exercise and topic of the
    files, for checking the bank without a database."""
    questions: list[Question] = []
    exercises: list[CodingExercise] = []
    topics: list[Topic] = []
    for topic_file in course.topics:
        topic = Topic(slug=topic_file.data["slug"], **topic_fields(topic_file.data))
        topics.append(topic)
        for data in topic_file.data.get("questions", []):
            questions.append(
                Question(topic=topic, slug=data["slug"], **question_fields(data))
            )
        for data in topic_file.data.get("coding", []):
            exercises.append(
                CodingExercise(topic=topic, slug=data["slug"], **exercise_fields(data))
            )
    return questions, exercises, topics


def _question_save(topic: Topic, order: int, data: dict[str, Any]) -> None:
    Question.objects.update_or_create(
        slug=data["slug"],
        defaults={
            **question_fields(data),
            "topic": topic,
            "order": order,
            "is_published": True,
            "from_bank": True,
        },
    )


def _exercise_save(
    topic: Topic, order: int, data: dict[str, Any]
) -> tuple[CodingExercise, bool]:
    """Save one exercise; True when it is an own exercise that needs a
    validation first. Students never meet own code that was not validated:
    a new or changed one stays unpublished until its validation passes."""
    fields = exercise_fields(data)
    current = CodingExercise.objects.filter(slug=data["slug"]).first()
    candidate = current or CodingExercise()
    for name, value in fields.items():
        setattr(candidate, name, value)
    needs_validation = candidate.publish_problem() is not None
    defaults = {
        **fields,
        "topic": topic,
        "order": order,
        "is_published": True,
        "from_bank": True,
    }
    if needs_validation:
        defaults.update(
            is_published=False, validation_status=CodingExercise.Validation.UNVALIDATED
        )
    exercise, _ = CodingExercise.objects.update_or_create(
        slug=data["slug"], defaults=defaults
    )
    return exercise, needs_validation
