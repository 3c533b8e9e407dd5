"""The small course of the gradebook and item-analysis tests, built so that
every number can be checked exactly, and what two students did in it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from exercises.models import Question, QuizAttempt
from exercises.services import attempt_submit
from tests.factories import (
    CodingExerciseFactory,
    LectureFactory,
    MockExamFactory,
    QuestionFactory,
    SubmissionFactory,
    TopicFactory,
)
from tutor.models import MockExam


@pytest.fixture
def small_course(db: None) -> dict[str, object]:
    """Two topics: 6.10 with a single-choice and a numeric question and one
    coding exercise; 7.3 with a symbolic question (and an unpublished one,
    which mastery does not count)."""
    yolo = TopicFactory(yolo=True)
    seven = LectureFactory(number=7, title="Words")
    cosine = TopicFactory(lecture=seven, code="7.3", slug="cosine", title="Cosine")
    options = [
        {"text": "IoU below 0.5", "explanation": "no"},
        {"text": "IoU above 0.5", "correct": True, "explanation": "yes"},
        {"text": "Another cell", "explanation": "no"},
    ]
    choice = QuestionFactory(
        topic=yolo, slug="nms-rule", kind="single", prompt="When?",
        spec={"options": options},
    )  # fmt: skip
    numeric = QuestionFactory(
        topic=yolo, slug="iou-half", kind="numeric", prompt="IoU?",
        spec={"answer": 0.5, "tolerance": {"abs": 0.001, "rel": 0.001}},
    )  # fmt: skip
    symbolic = QuestionFactory(
        topic=cosine, slug="double", kind="symbolic", prompt="Twice x?",
        spec={"answer": "2*x", "variables": ["x"]},
    )  # fmt: skip
    QuestionFactory(
        topic=cosine, slug="draft", kind="numeric", prompt="Draft",
        spec={"answer": 1}, is_published=False,
    )  # fmt: skip
    iou = CodingExerciseFactory(iou=True, topic=yolo)
    return {
        "yolo": yolo, "cosine": cosine, "choice": choice, "numeric": numeric,
        "symbolic": symbolic, "iou": iou,
    }  # fmt: skip


def answer(user: User, question: Question, **given: object) -> QuizAttempt:
    outcome = attempt_submit(user=user, question=question, answer=given, seed=1)
    assert outcome.attempt is not None, outcome.result.message
    return outcome.attempt


def exam(user: User, score: float | None, by_topic: dict[str, float]) -> MockExam:
    return MockExamFactory(
        user=user,
        title="Paper",
        submitted=score is not None,
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
    for user, score in [(student, 0.4), (student, 0.9), (other_student, 0.3)]:
        SubmissionFactory(user=user, exercise=c["iou"], status="done", score=score)
    SubmissionFactory(user=other_student, exercise=c["iou"], status="error")
    exam(student, 0.5, {"6.10": 0.5, "7.3": 1.0})
    exam(student, 0.75, {"6.10": 1.0})
    exam(student, None, {})  # still open: not counted
    return c


def instructor_client(instructor: User) -> Client:
    client = Client()
    client.force_login(instructor)
    return client
