from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from exercises.bank import BankError, course_load, course_read
from exercises.models import CodingExercise, Question, QuizAttempt, Topic
from tests.factories import QuizAttemptFactory


def test_the_bank_reads_and_covers_the_topic_map() -> None:
    course = course_read()
    codes = {topic.data["code"] for topic in course.topics}
    assert {f"6.{i}" for i in range(1, 11)} <= codes
    assert {f"7.{i}" for i in range(1, 10)} <= codes
    assert course.question_count >= 1 and course.exercise_count >= 1


@pytest.mark.django_db
def test_loading_twice_updates_in_place_and_keeps_attempts(student) -> None:
    call_command("load_course")
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    QuizAttemptFactory(user=student, question=question, seed=1, answer={"value": "1/3"})
    counts = (
        Topic.objects.count(),
        Question.objects.count(),
        CodingExercise.objects.count(),
    )
    call_command("load_course")
    assert (
        Topic.objects.count(),
        Question.objects.count(),
        CodingExercise.objects.count(),
    ) == counts
    assert (
        QuizAttempt.objects.filter(question__slug="yolo-iou-half-overlap").count() == 1
    )


@pytest.mark.django_db
def test_removed_questions_are_unpublished_not_deleted(tmp_path: Path, student) -> None:
    bank = tmp_path / "bank"
    (bank / "lecture-6").mkdir(parents=True)
    (bank / "course.yaml").write_text(
        yaml.safe_dump(
            {"lectures": [{"number": 6, "slug": "lecture-6", "title": "L6"}]}
        )
    )
    topic = {
        "code": "6.10",
        "slug": "yolo",
        "title": "YOLO",
        "order": 1,
        "questions": [
            {
                "slug": "q1",
                "kind": "numeric",
                "prompt": "?",
                "answer": 1,
                "difficulty": 1,
                "tags": ["t"],
                "title": "Q",
            },
            {
                "slug": "q2",
                "kind": "numeric",
                "prompt": "?",
                "answer": 2,
                "difficulty": 1,
                "tags": ["t"],
                "title": "Q",
            },
        ],
    }
    path = bank / "lecture-6" / "yolo.yaml"
    path.write_text(yaml.safe_dump(topic))
    course_load(course_read(bank))
    QuizAttemptFactory(
        user=student,
        question=Question.objects.get(slug="q2"),
        seed=1,
        is_correct=False,
    )
    topic["questions"].pop()
    path.write_text(yaml.safe_dump(topic))
    summary = course_load(course_read(bank))
    assert summary.unpublished == 1
    assert not Question.objects.get(slug="q2").is_published
    assert QuizAttempt.objects.filter(question__slug="q2").exists()


@pytest.mark.django_db
def test_a_load_leaves_what_instructors_wrote_in_the_admin_published(
    tmp_path: Path,
) -> None:
    """Docker Compose loads the course at every start: content written in
    the admin and never exported to the files must stay as it is."""
    bank = tmp_path / "bank"
    (bank / "lecture-6").mkdir(parents=True)
    (bank / "course.yaml").write_text(
        yaml.safe_dump(
            {"lectures": [{"number": 6, "slug": "lecture-6", "title": "L6"}]}
        )
    )
    topic = {"code": "6.10", "slug": "yolo", "title": "YOLO", "order": 1}
    topic["questions"] = [
        {"slug": "q1", "kind": "numeric", "prompt": "?", "answer": 1,
         "difficulty": 1, "tags": ["t"], "title": "Q"},
    ]  # fmt: skip
    (bank / "lecture-6" / "yolo.yaml").write_text(yaml.safe_dump(topic))
    course_load(course_read(bank))
    yolo = Topic.objects.get(slug="yolo")
    own = Question.objects.create(
        topic=yolo, slug="own-question", kind="numeric", title="Own", prompt="?",
        spec={"answer": 2}, is_published=True,
    )  # fmt: skip
    own_exercise = CodingExercise.objects.create(
        topic=yolo, slug="own-iou", title="IoU", prompt="Write IoU.",
        engine_spec="iou", is_published=True,
    )  # fmt: skip
    summary = course_load(course_read(bank))
    assert summary.unpublished == 0
    own.refresh_from_db()
    own_exercise.refresh_from_db()
    assert own.is_published and own_exercise.is_published
    assert Question.objects.get(slug="q1").from_bank and not own.from_bank


def test_a_bad_file_names_the_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "lecture-7").mkdir()
    (tmp_path / "course.yaml").write_text(
        "lectures: [{number: 7, slug: lecture-7, title: L7}]"
    )
    (tmp_path / "lecture-7" / "bad.yaml").write_text(
        "code: '7.2'\nslug: tf\ntitle: TF\norder: 1\nquestions: [{slug: q, kind: essay, prompt: p}]"
    )
    with pytest.raises(BankError, match=r"bad\.yaml.*kind"):
        course_read(tmp_path)
    (tmp_path / "lecture-7" / "bad.yaml").write_text(
        "code: '7.2'\nslug: tf\ntitle: TF\norder: 1\ncoding: [{slug: c, title: t, prompt: p, engine_spec: nope}]"
    )
    with pytest.raises(BankError, match="no engine spec `nope`"):
        course_read(tmp_path)


@pytest.mark.slow
@pytest.mark.usefixtures("unhurried_symbolic")
def test_the_whole_bank_validates(capsys) -> None:
    call_command("validate_course")
    printed = capsys.readouterr().out
    assert "every question and exercise checks out" in printed
    assert "questions per topic" in printed and "questions per kind" in printed


def test_validation_catches_a_wrong_stored_answer(tmp_path: Path) -> None:
    from exercises.bank import course_objects
    from exercises.bank_checks import validate_course

    (tmp_path / "lecture-7").mkdir()
    (tmp_path / "course.yaml").write_text(
        "lectures: [{number: 7, slug: lecture-7, title: L7}]"
    )
    topic = {
        "code": "7.2", "slug": "tf", "title": "TF", "order": 1,
        "questions": [
            {"slug": "bad-answer", "kind": "symbolic", "prompt": "d/dx x^2?", "variables": ["x"], "answer": "2*x", "wrong": ["2*x"], "difficulty": 1, "tags": ["t"], "title": "T"},
            {"slug": "unfilled", "kind": "numeric", "prompt": "Value of {{ missing.x }}?", "answer": 1, "explanation": "{{ 1 }", "difficulty": 1, "tags": ["t"], "title": "T"},
        ],
    }  # fmt: skip
    (tmp_path / "lecture-7" / "tf.yaml").write_text(yaml.safe_dump(topic))
    summary = validate_course(*course_objects(course_read(tmp_path)))
    assert any(
        "bad-answer" in p and "a wrong answer passes" in p for p in summary.problems
    )
    assert any("unfilled" in p for p in summary.problems)


@pytest.mark.django_db
def test_export_then_load_round_trips_without_a_difference(tmp_path: Path) -> None:
    from exercises.exports.course_files import course_export

    original = course_read()
    course_load(original)
    course_export(tmp_path / "first")
    exported = course_read(tmp_path / "first")
    assert _content(exported) == _content(original)
    course_load(exported)
    course_export(tmp_path / "second")
    for first in sorted((tmp_path / "first").rglob("*.yaml")):
        second = tmp_path / "second" / first.relative_to(tmp_path / "first")
        assert second.read_text() == first.read_text(), first.name


@pytest.mark.django_db
def test_an_admin_edit_reaches_the_files(tmp_path: Path) -> None:
    from exercises.exports.course_files import course_export

    course_load(course_read())
    Question.objects.filter(slug="tfidf-this-example").update(
        explanation="Edited in the admin."
    )
    course_export(tmp_path)
    reread = {
        q["slug"]: q
        for t in course_read(tmp_path).topics
        for q in t.data.get("questions", [])
    }
    assert reread["tfidf-this-example"]["explanation"] == "Edited in the admin."


def _content(course) -> object:
    """Everything the files say, independent of file names and formatting."""
    topics = {}
    for topic in course.topics:
        data = dict(topic.data)
        topics[data["slug"]] = data
    return {"lectures": course.lectures, "topics": topics}
