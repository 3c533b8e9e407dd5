"""Where "Next question" leads: the topic's next published question, in the
topic's order, that the student has not got right yet, round to the start.
The query is written in SQL (tutor.selectors), so it is checked here on the
test database and, in tests/integration, on PostgreSQL."""

from __future__ import annotations

import pytest

from exercises.models import QuestionProgress
from tests.factories import QuestionFactory, StudentFactory
from tests.factories.content import TopicFactory
from tutor.selectors import next_question, next_question_slug

pytestmark = pytest.mark.django_db


def check_next_question_order() -> None:
    topic = TopicFactory()
    # Created out of order; the topic's order is (order, slug).
    d = QuestionFactory(topic=topic, order=3, slug="nq-d", is_published=False)
    c = QuestionFactory(topic=topic, order=2, slug="nq-c")
    b2 = QuestionFactory(topic=topic, order=1, slug="nq-b2")
    b1 = QuestionFactory(topic=topic, order=1, slug="nq-b1")
    a = QuestionFactory(topic=topic, order=0, slug="nq-a")
    QuestionFactory(order=0, slug="nq-elsewhere")  # another topic
    student, other = StudentFactory(), StudentFactory()

    assert next_question_slug(user=student, after=a) == "nq-b1"
    assert next_question_slug(user=student, after=b1) == "nq-b2"
    assert next_question_slug(user=student, after=c) == "nq-a"  # d is a draft
    assert next_question_slug(user=student, after=d) == "nq-a"  # not in the list

    QuestionProgress.objects.create(user=student, question=b1, last_correct=True)
    QuestionProgress.objects.create(user=student, question=b2, last_correct=False)
    QuestionProgress.objects.create(user=other, question=c, last_correct=True)
    assert next_question_slug(user=student, after=a) == "nq-b2"
    assert next_question_slug(user=other, after=b2) == "nq-a"
    assert next_question(user=student, after=a) == b2

    for question in (a, b2, c):
        QuestionProgress.objects.update_or_create(
            user=student, question=question, defaults={"last_correct": True}
        )
    assert next_question_slug(user=student, after=c) is None
    assert next_question(user=student, after=c) is None
    QuestionProgress.objects.filter(user=student, question=c).update(last_correct=False)
    assert next_question_slug(user=student, after=c) is None  # only itself left
    assert next_question_slug(user=student, after=a) == "nq-c"


def test_next_question_goes_on_in_order_skipping_what_was_got_right() -> None:
    check_next_question_order()
