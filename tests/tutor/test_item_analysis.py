"""Item analysis for instructors: per question the options chosen, the wrong
answers, first attempts and discrimination; per coding exercise the verdicts
and named mistakes. On the gradebook's small course."""

from __future__ import annotations

import math

import pytest
from django.contrib.auth.models import User

from exercises.models import Question
from tests.factories import (
    QuestionFactory,
    QuizAttemptFactory,
    StudentFactory,
    SubmissionFactory,
)
from tests.tutor.gradebook_course import (
    activity,
    answer,
    instructor_client,
    small_course,
)
from tutor.gradebook import GradebookFilter
from tutor.item_analysis import item_analysis

pytestmark = pytest.mark.django_db
__all__ = ["activity", "small_course"]  # fixtures


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
    return [StudentFactory(username=name) for name in ("s1", "s2", "s3", "s4")]


def attempt(user: User, question: Question, correct: bool) -> None:
    QuizAttemptFactory(
        user=user, question=question, answer={"value": "?"}, is_correct=correct
    )


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
    question = QuestionFactory(
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
    failed = {"verdict": "failed", "mistake": mistake}
    passed = {"verdict": "passed", "mistake": None}
    done = {"exercise": iou, "status": "done"}
    SubmissionFactory(user=student, score=0.5, report=failed, **done)
    SubmissionFactory(user=other_student, score=0.5, report=failed, **done)
    SubmissionFactory(user=student, score=1.0, report=passed, **done)
    SubmissionFactory(user=other_student, exercise=iou, status="error")
    SubmissionFactory(user=instructor, score=0.0, report=failed, **done)
    page = instructor_client(instructor).get("/instructor/items/").content.decode()
    from tutor.item_analysis import exercise_analysis

    (row,) = exercise_analysis(filters=GradebookFilter())
    assert (row.submissions, row.students) == (4, 2)
    assert dict(row.verdicts) == {"failed": 2, "passed": 1, "error": 1}
    assert row.mistakes == [("iou-no-clamp", "No clamp at zero", 2)]
    assert "No clamp at zero" in page
