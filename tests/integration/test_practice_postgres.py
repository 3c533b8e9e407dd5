"""The practice write path on PostgreSQL: rows made and locked with INSERT …
ON CONFLICT DO UPDATE, nested transactions without savepoints, a repeated
mastery event found under its topic's lock inside the answer's transaction,
and the next-question query written in SQL."""

from __future__ import annotations

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client

from exercises.models import Question, QuestionProgress, QuizAttempt
from exercises.presentation import current_seed
from exercises.rows import row_locked
from tests.factories import StudentFactory
from tests.factories.content import QuestionFactory
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


def _other_connection() -> psycopg.Connection:
    """A second session on the test database, as another web worker's."""
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        autocommit=True,
    )


def _locked_elsewhere(other: psycopg.Connection, progress_id: int) -> bool:
    """Whether another session finds the row locked (NOWAIT: no waiting)."""
    try:
        other.execute(
            "SELECT id FROM exercises_questionprogress WHERE id = %s FOR UPDATE NOWAIT",
            [progress_id],
        )
    except psycopg.errors.LockNotAvailable:
        return True
    return False


def test_a_progress_row_made_or_met_is_locked_until_the_answer_ends(
    live_db: None,
) -> None:
    """exercises.rows.row_locked is the answer's lock: another session cannot
    lock the row it made, nor the row it met, until the transaction ends;
    and meeting a row leaves what it holds unchanged."""
    student = StudentFactory()
    question = QuestionFactory()
    keys = {"user": student.pk, "question": question.pk}
    made = {"attempts": 0, "correct": 0, "last_correct": False, "variant": 0}
    with _other_connection() as other:
        with transaction.atomic():
            (made_id, variant) = row_locked(
                QuestionProgress, keys=keys, made=made, read=("id", "variant")
            )
            assert variant == 0
            # Not committed: another session's upsert of the same row waits.
            with (
                pytest.raises(psycopg.errors.LockNotAvailable),
                other.transaction(),
            ):
                other.execute("SET LOCAL lock_timeout = '200ms'")
                other.execute(
                    "INSERT INTO exercises_questionprogress (user_id, question_id, "
                    "attempts, correct, last_correct, variant) "
                    "VALUES (%s, %s, 0, 0, false, 0) ON CONFLICT DO NOTHING",
                    [student.pk, question.pk],
                )
        assert not _locked_elsewhere(other, made_id)

        QuestionProgress.objects.filter(pk=made_id).update(variant=3, attempts=2)
        with transaction.atomic():
            met = row_locked(
                QuestionProgress, keys=keys, made=made, read=("id", "variant")
            )
            assert met == (made_id, 3)
            assert _locked_elsewhere(other, made_id)
        assert not _locked_elsewhere(other, made_id)
    row = QuestionProgress.objects.get(pk=made_id)
    assert (row.variant, row.attempts) == (3, 2)
    assert QuestionProgress.objects.filter(user=student).count() == 1
