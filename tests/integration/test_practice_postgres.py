"""The practice write path on PostgreSQL: rows made with INSERT … ON CONFLICT
DO NOTHING, nested transactions without savepoints, a repeated mastery event
refused by its unique constraint inside the answer's transaction, and the
next-question query written in SQL."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client

from exercises.models import Question, QuestionProgress, QuizAttempt
from exercises.presentation import current_seed
from tests.factories import StudentFactory
from tests.tutor.test_next_question import check_next_question_order
from tutor.mastery import mastery_record_quiz
from tutor.models import Mastery, MasteryEvent, ReviewCard
from tutor.selectors import next_question_slug

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_postgres(services: None) -> None:
    assert connection.vendor == "postgresql"


def test_next_question_on_postgresql(on_postgres: None) -> None:
    check_next_question_order()


def test_a_first_answer_a_closed_variant_and_a_new_one(
    on_postgres: None, course: None
) -> None:
    student = StudentFactory()
    client = Client()
    client.force_login(student)
    question = Question.objects.get(slug="yolo-iou-half-overlap")
    url = f"/questions/{question.slug}/"
    seed = current_seed(student, question)

    first = client.post(f"{url}answer", {"value": "0.4", "seed": seed})
    assert first.status_code == 200
    attempt = QuizAttempt.objects.get(user=student)
    progress = QuestionProgress.objects.get(user=student, question=question)
    assert (progress.attempts, progress.variant) == (1, 0)
    assert ReviewCard.objects.get(user=student, question=question).reviews == 1
    assert Mastery.objects.get(user=student, topic=question.topic).observations == 1

    again = client.post(f"{url}answer", {"value": "0.4", "seed": seed})
    assert again.status_code == 409
    assert QuizAttempt.objects.filter(user=student).count() == 1

    # The same event delivered again, inside a transaction that goes on.
    with transaction.atomic():
        assert mastery_record_quiz(attempt=attempt, hints_used=0) is None
        assert QuizAttempt.objects.filter(user=student).count() == 1
    assert MasteryEvent.objects.filter(user=student).count() == 1

    assert client.post(url).status_code == 302  # new numbers
    fresh = current_seed(student, question)
    assert fresh != seed
    later = client.post(f"{url}answer", {"value": "0.4", "seed": fresh})
    assert later.status_code == 200
    progress.refresh_from_db()
    # A second answer the same day is stored and moves nothing.
    assert (progress.attempts, progress.variant) == (1, 1)
    assert QuizAttempt.objects.filter(user=student).count() == 2
    assert Mastery.objects.get(user=student, topic=question.topic).observations == 1
    # The page shows that answer's feedback, and leads on in the topic.
    page = client.get(url).content.decode()
    following = next_question_slug(user=student, after=question)
    assert following and f'href="/questions/{following}/" role="button"' in page
