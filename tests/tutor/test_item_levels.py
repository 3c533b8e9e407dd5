"""Students see each item's level and time estimate before they start it
(issue 17, item 1): in the topic's lists, on the question page and on the
exercise page."""

import re
from html import unescape

import pytest
from django.test import Client

from exercises.models import CodingExercise, Question

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200
    return " ".join(unescape(response.content.decode()).split())


def _words(response) -> str:
    """The page as read: tags away, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())


def test_the_topic_page_gives_every_item_its_level_and_time(
    client: Client, course: None
) -> None:
    page = _text(client.get("/topics/yolo/"))
    questions = Question.objects.filter(topic__slug="yolo", is_published=True)
    assert questions.count() >= 10
    assert {q.difficulty for q in questions} >= {1, 3}
    for question in questions:
        row = page.split(f'href="/questions/{question.slug}/"', 1)[1].split("</tr>")[0]
        assert (
            f"{question.difficulty} ({question.level_name}) · {question.minutes} min"
            in row
        ), question.slug
    for exercise in CodingExercise.objects.filter(topic__slug="yolo"):
        line = page.split(f'href="/exercises/{exercise.slug}/"', 1)[1].split("</li>")[0]
        assert f"Level {exercise.difficulty} of 3" in line
        assert f"about {exercise.minutes} min" in line


def test_a_question_page_is_headed_by_its_title_level_and_time(
    student_client: Client, course: None
) -> None:
    question = Question.objects.filter(difficulty=3, kind="multistep").first()
    assert question is not None and question.minutes >= 8
    page = _text(student_client.get(f"/questions/{question.slug}/"))
    assert "<h1>" in page
    assert f"Level 3 of 3 (exam level) · about {question.minutes} min" in page


def test_an_exercise_page_states_its_level_and_time(
    student_client: Client, course: None
) -> None:
    exercise = CodingExercise.objects.get(slug="iou")
    page = _text(student_client.get("/exercises/iou/"))
    assert (
        f"Level {exercise.difficulty} of 3 ({exercise.level_name}) · about "
        f"{exercise.minutes} min" in page
    )


def test_an_assignment_lists_and_heads_its_items_with_level_and_time(
    student,
) -> None:
    from tests.factories.courses import (
        AssignmentFactory,
        AssignmentItemFactory,
        CourseFactory,
        MembershipFactory,
    )

    course = CourseFactory(code="dl-2026")
    MembershipFactory(course=course, user=student)
    week = AssignmentFactory(course=course, slug="week-1", published=True)
    quiz = AssignmentItemFactory(assignment=week, question__difficulty=3)
    code = AssignmentItemFactory(assignment=week, coding=True, exercise__difficulty=1)
    client = Client()
    client.force_login(student)
    page = _words(client.get("/courses/dl-2026/assignments/week-1/"))
    assert (
        f"question · Level 3 of 3 (exam level) · about {quiz.question.minutes} min"
        in page
    )
    assert "coding exercise · Level 1 of 3 (recall) · about 10 min" in page
    item = _words(client.get(f"/courses/dl-2026/assignments/week-1/items/{code.pk}/"))
    assert "Level 1 of 3 (recall) · about 10 min" in item
