"""The drill-down pages of the item analysis: who may see them, what they say,
and how they refuse a filter they cannot read."""

from __future__ import annotations

from datetime import timedelta
from functools import cache

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from exercises.models import CodingExercise, Question
from exercises.variants import variant_for
from tests.factories import (
    CodingExerciseFactory,
    QuestionFactory,
    QuizAttemptFactory,
    StudentFactory,
)
from tests.factories.analysis import PLUS_ONE, graded, reveal
from tests.tutor.gradebook_course import instructor_client
from tutor.courses.models import Course, Membership

pytestmark = pytest.mark.django_db

SPEC = {"generator": "head_parameter_count", "tolerance": {"abs": 0.5}}
PARAMETERS = "/instructor/items/{}/parameters"
MISTAKES = "/instructor/exercises/{}/mistakes"


@pytest.fixture
def question() -> Question:
    return QuestionFactory(
        slug="head", prompt="A head on {{ base }}: how many parameters?", spec=SPEC
    )


@pytest.fixture
def exercise() -> CodingExercise:
    return CodingExerciseFactory(iou=True)


@cache
def seeds(base: str, count: int) -> tuple[int, ...]:
    found = [s for s in range(200) if variant_for(SPEC, s).values["base"] == base]
    return tuple(found[:count])


def answer_bases(question: Question) -> list[User]:
    """Eight students, four variants each: VGG16 1 of 12 right, every other
    base 10 of 12 (see test_item_analysis_params for the numbers)."""
    students = [StudentFactory() for _ in range(8)]
    plan = {"VGG16": [True] + [False] * 11}
    for base in ("DenseNet121", "MobileNetV2", "ResNet50"):
        plan[base] = [True] * 10 + [False] * 2
    index = 0
    for base, marks in plan.items():
        for seed, right in zip(seeds(base, 12), marks, strict=True):
            QuizAttemptFactory(
                user=students[index % 8], question=question, seed=seed, is_correct=right
            )
            index += 1
    return students


def test_students_get_403_and_visitors_the_sign_in_page(
    student_client: Client, client: Client, question, exercise
) -> None:
    for url in (PARAMETERS.format("head"), MISTAKES.format("iou")):
        response = student_client.get(url)
        assert response.status_code == 403, url
        assert "This page is for instructors" in response.content.decode()
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")


def test_an_instructor_sees_a_flag_in_words(instructor, question) -> None:
    answer_bases(question)
    response = instructor_client(instructor).get(PARAMETERS.format("head"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "48 first attempts" in page
    assert "<strong>base = VGG16</strong>: far harder than its siblings" in page
    assert '<th scope="row">VGG16</th>' in page and "+2.46 ± 0.60" in page
    assert '<caption id="parameter-1">' in page and 'scope="col"' in page


def test_a_small_bucket_is_greyed_and_never_flagged(instructor, question) -> None:
    QuizAttemptFactory(question=question, seed=seeds("VGG16", 1)[0], is_correct=False)
    QuizAttemptFactory(question=question, seed=seeds("ResNet50", 1)[0])
    page = instructor_client(instructor).get(PARAMETERS.format("head")).content
    text = page.decode()
    assert text.count("too few to judge") == 2  # the two bases drawn
    assert "No value makes this question far harder or easier" in text
    assert "far harder than its siblings</span>" not in text


def test_a_course_filter_reads_its_students_only(instructor, question) -> None:
    students = answer_bases(question)
    course = Course.objects.create(code="dl", title="DL")
    Membership.objects.create(
        course=course, user=students[0], role=Membership.Role.STUDENT
    )
    client = instructor_client(instructor)
    page = client.get(PARAMETERS.format("head"), {"course": course.pk})
    assert page.status_code == 200
    assert "6 first attempts" in page.content.decode()  # student 0: 6 of the 48


def test_an_unreadable_filter_is_a_400_that_says_why(
    instructor, question, exercise
) -> None:
    client = instructor_client(instructor)
    today = timezone.localdate()
    backwards = {"start": today, "end": today - timedelta(days=1)}
    for url in (PARAMETERS.format("head"), MISTAKES.format("iou")):
        response = client.get(url, backwards)
        assert response.status_code == 400
        assert "The first day comes after the last." in response.content.decode()
        assert client.get(url, {"course": "x"}).status_code == 400
        assert client.get(url, {"start": "not a day"}).status_code == 400
        for end in ("9999-12-31", "0001-01-01"):
            response = client.get(url, {"end": end})
            assert response.status_code == 400
            assert "Choose days from 1970 to 9998." in response.content.decode()


def test_unknown_items_are_404(instructor) -> None:
    client = instructor_client(instructor)
    assert client.get(PARAMETERS.format("nope")).status_code == 404
    assert client.get(MISTAKES.format("nope")).status_code == 404
    assert client.get(PARAMETERS.format("x" * 300)).status_code == 404


def test_a_question_with_one_variant_says_there_is_nothing_to_split(
    instructor,
) -> None:
    QuestionFactory(slug="fixed")
    page = instructor_client(instructor).get(PARAMETERS.format("fixed"))
    assert page.status_code == 200
    assert "one fixed variant" in page.content.decode()


def test_the_mistakes_page_shows_shares_and_hint_rates(instructor, exercise) -> None:
    student, other = StudentFactory(), StudentFactory()
    now = timezone.now()
    first = graded(student, exercise, at=now - timedelta(minutes=5), mistake=PLUS_ONE)
    reveal(student, exercise, level=1, at=now - timedelta(minutes=4), submission=first)
    reveal(student, exercise, level=2, at=now - timedelta(minutes=4, seconds=-3))
    graded(student, exercise, at=now - timedelta(minutes=1))
    unnamed = graded(other, exercise, at=now - timedelta(minutes=5), verdict="failed")
    reveal(
        other,
        exercise,
        level=1,
        at=now - timedelta(minutes=4),
        mistake="generic:exception",
        submission=unnamed,
    )
    graded(other, exercise, at=now - timedelta(minutes=3), verdict="failed")
    response = instructor_client(instructor).get(MISTAKES.format("iou"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 students made a first graded submission" in page
    assert "0 passed, 2 failed" in page and "(1 with no named mistake)" in page
    assert 'id="mistake-iou-plus-one"' in page and "50%" in page
    assert "+1 pixel convention" in page
    assert 'id="mistake-iou-over-smaller-area"' in page  # declared, never seen
    assert "1/1" in page  # gone after level 1 (and 2) was opened
    assert '<th scope="row">2 · teach</th>' in page
    assert "<code>generic:exception</code>" in page  # its next submission failed
    assert "0/1" in page


def test_the_item_analysis_links_to_the_drill_downs(
    instructor, question, exercise
) -> None:
    QuizAttemptFactory(question=question, seed=seeds("VGG16", 1)[0])
    QuizAttemptFactory(question=QuestionFactory(slug="fixed"))
    graded(StudentFactory(), exercise, at=timezone.now())
    page = instructor_client(instructor).get("/instructor/items/").content.decode()
    assert 'href="/instructor/items/head/parameters"' in page
    assert 'href="/instructor/items/fixed/parameters"' not in page
    assert 'href="/instructor/exercises/iou/mistakes"' in page
