"""Every main page reads the database a bounded number of times, and the same
number however much the student (or the class) has done: a query per row of
a list would make a page slower for the students who use the site most.

Each page is read once with a little history and once with much more; the
count must not grow, and stays under the page's budget (what it made on
2026-12-06, with a little room: a change that adds queries says so here).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from exercises.models import CodingExercise, Question
from tests.factories import (
    QuizAttemptFactory,
    StudentFactory,
    SubmissionFactory,
)
from tests.factories.courses import (
    AssignmentFactory,
    AssignmentItemFactory,
    CourseFactory,
    MembershipFactory,
    WorkFactory,
)

pytestmark = pytest.mark.django_db

STUDENT_PAGES = {
    "dashboard": ("/", 42),
    "topic": ("/topics/yolo/", 10),
    "question": ("/questions/{question}/", 8),  # 12 until 2026-12-07 (now 7)
    "exercise": ("/exercises/iou/", 11),  # 14 until 2026-12-07 (now 10)
    "review": ("/review/", 8),
    "progress": ("/progress/", 32),
    "lecture": ("/lectures/lecture-6/", 8),
    "course": ("/courses/{course}/", 14),
}
STAFF_PAGES = {
    "gradebook": ("/courses/{course}/staff/gradebook/", 12),
    "members": ("/courses/{course}/staff/members/", 8),
}


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries.captured_queries)


def _history(student, course, questions, exercise, rounds: int) -> None:
    """`rounds` more answers, submissions and graded work for the student."""
    assignment = course.assignments.first()
    for index in range(rounds):
        question = questions[index % len(questions)]
        QuizAttemptFactory(user=student, question=question, is_correct=index % 2 == 0)
        SubmissionFactory(
            user=student, exercise=exercise, status="done", score=0.5,
            report={"verdict": "failed", "passed": 1, "total": 2, "cases": []},
        )  # fmt: skip
        WorkFactory(assignment=assignment, user=student)


def _class(course, size: int) -> None:
    """`size` more students of the course, each with work handed in."""
    assignment = course.assignments.first()
    for _ in range(size):
        member = MembershipFactory(course=course).user
        WorkFactory(assignment=assignment, user=member)


@pytest.fixture
def setting(course: None):
    """A student in a course with one published assignment, and its instructor."""
    student = StudentFactory()
    room = CourseFactory(code="dl-budget")
    MembershipFactory(course=room, user=student)
    staff = StudentFactory()
    MembershipFactory(course=room, user=staff, role="instructor")
    assignment = AssignmentFactory(course=room, published=True)
    for _ in range(3):
        AssignmentItemFactory(assignment=assignment)
    questions = list(Question.objects.filter(is_published=True).order_by("slug")[:20])
    exercise = CodingExercise.objects.get(slug="iou")
    return student, staff, room, questions, exercise


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _check(
    pages: dict[str, tuple[str, int]],
    client: Client,
    fill: Callable[[], None],
    **names: str,
) -> None:
    before = {
        name: _count(client, url.format(**names)) for name, (url, _) in pages.items()
    }
    fill()
    after = {
        name: _count(client, url.format(**names)) for name, (url, _) in pages.items()
    }
    grew = {
        name: (before[name], after[name])
        for name in pages
        if after[name] > before[name]
    }
    assert not grew, f"queries grew with the data (before, after): {grew}"
    over = {
        name: after[name] for name, (_, budget) in pages.items() if after[name] > budget
    }
    assert not over, f"over budget: {over}"


def test_student_pages_do_not_read_more_as_the_student_does_more(setting) -> None:
    student, _, room, questions, exercise = setting
    _history(student, room, questions, exercise, 2)
    _check(
        STUDENT_PAGES,
        _client(student),
        lambda: _history(student, room, questions, exercise, 15),
        question=questions[0].slug,
        course=room.code,
    )


def test_staff_pages_do_not_read_more_as_the_class_grows(setting) -> None:
    _, staff, room, _, _ = setting
    _class(room, 2)
    _check(STAFF_PAGES, _client(staff), lambda: _class(room, 12), course=room.code)


def test_a_first_answer_and_a_refused_one_read_and_write_a_bounded_number(
    setting,
) -> None:
    """The answer check, the request students make most with the question
    page: a first answer (counted: progress, review card, mastery) and the
    same answer again (refused: its variant is closed)."""
    from exercises.presentation import current_seed

    student, _, room, questions, exercise = setting
    _history(student, room, questions, exercise, 15)
    client = _client(student)
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    url = f"/questions/{question.slug}/answer"
    seed = current_seed(student, question)
    with CaptureQueriesContext(connection) as first:
        counted = client.post(url, {"value": "0.4", "seed": seed})
    with CaptureQueriesContext(connection) as again:
        refused = client.post(url, {"value": "0.4", "seed": seed})
    assert (counted.status_code, refused.status_code) == (200, 409)
    # 24 and 9 until 2026-12-07 (then 17, now 16, and 9): the progress row and
    # the topic's mastery row are each made and locked in one statement
    # (exercises.rows), one read gives the variant's answers and whether the
    # question was answered this session, the hints shown are read once, and
    # no mastery event is looked for under the attempt stored just before.
    assert len(first.captured_queries) <= 16, len(first.captured_queries)
    assert len(again.captured_queries) <= 9, len(again.captured_queries)


def test_the_exercise_page_under_a_passed_submission_reads_each_thing_once(
    setting,
) -> None:
    """The report under the editor (a passed submission: it names the next
    exercise) and the rung strip ask the same things: whether the exercise is
    held back, the exercise's topic and lecture, the student."""
    student, _, _, _, exercise = setting
    SubmissionFactory(
        user=student, exercise=exercise, status="done", score=1.0,
        report={"verdict": "passed", "passed": 2, "total": 2, "cases": []},
    )  # fmt: skip
    count = _count(_client(student), "/exercises/iou/")
    assert count <= 11, count
