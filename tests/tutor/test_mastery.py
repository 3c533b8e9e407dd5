"""Mastery per topic: the BKT numbers, and which answers move it (first
answers only, a hint first makes it "not right", mock exams when marked)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import IntegrityError

from exercises.models import Question
from exercises.presentation import current_seed
from exercises.services.attempts import variant_advance
from tests.factories import (
    HintUseFactory,
    MockExamFactory,
    QuestionFactory,
    TopicFactory,
)
from tests.factories.mastery import answered
from tutor.mastery import (
    GUESS_DEFAULT,
    P_INIT,
    bkt_update,
    guess_rate,
    mastery_record_quiz,
    predicted_correct,
    question_guess,
    state_for,
    topic_mastery_list,
)
from tutor.models import Mastery, MasteryEvent
from tutor.services import exam_submit, practice_answer

FOUR_OPTIONS = {
    "options": [
        {"text": "a", "correct": True},
        {"text": "b"},
        {"text": "c"},
        {"text": "d"},
    ]
}


def test_three_first_try_right_four_option_answers_master_a_topic() -> None:
    p, path = P_INIT, [P_INIT]
    for _ in range(3):
        p = bkt_update(p, True, guess=guess_rate("single", options=4))
        path.append(p)
    assert [round(value, 2) for value in path] == [0.2, 0.55, 0.84, 0.96]
    assert state_for(path[2], 2) == "learning"
    assert state_for(path[3], 3) == "mastered"


def test_wrong_then_right_twice_stays_short_of_mastery() -> None:
    p = P_INIT
    for correct in (False, True, True):
        p = bkt_update(p, correct, guess=0.25)
    assert round(p, 2) == 0.83


def test_a_wrong_answer_lowers_the_estimate_before_learning_is_added() -> None:
    assert bkt_update(0.5, False, guess=0.25) < 0.5
    assert bkt_update(0.5, True, guess=0.25) > 0.5


def test_a_lucky_guess_is_worth_less_than_a_passed_implementation() -> None:
    single = bkt_update(P_INIT, True, guess=guess_rate("single", options=2))
    parsons = bkt_update(P_INIT, True, guess=guess_rate("parsons"))
    implement = bkt_update(P_INIT, True, guess=guess_rate("implement"))
    assert single < parsons < implement
    assert guess_rate("numeric") == guess_rate("multiple") == GUESS_DEFAULT == 0.05
    assert guess_rate("faded") == 0.05 and guess_rate("implement") == 0.02


def test_a_single_choice_guess_rate_is_one_over_its_options() -> None:
    question = Question(kind="single", spec=FOUR_OPTIONS)
    assert question_guess(question) == 0.25
    assert question_guess(Question(kind="symbolic", spec={})) == 0.05


def test_not_started_is_its_own_state() -> None:
    assert state_for(P_INIT, 0) == "not_started"
    assert state_for(0.99, 0) == "not_started"


def test_the_predicted_chance_falls_with_the_authors_difficulty() -> None:
    easy, medium, hard = (predicted_correct(0.5, d) for d in (1, 2, 3))
    assert easy > medium > hard
    assert medium == pytest.approx(0.5)


# --- Which answers count ------------------------------------------------------


def practise(user: User, question: Question, value: str) -> bool:
    """Answer the variant the student is on through the practice service."""
    seed = current_seed(user, question)
    outcome = practice_answer(
        user=user, question=question, answer={"value": value}, seed=seed
    )
    return outcome.counted


def mastery_of(user: User, question: Question) -> Mastery:
    return Mastery.objects.get(user=user, topic=question.topic)


@pytest.mark.django_db
def test_it_moves_mastery_with_the_first_answer_of_the_day(student: User) -> None:
    question = QuestionFactory()
    assert practise(student, question, "1")
    row = mastery_of(student, question)
    assert row.observations == 1 and row.state == "learning"
    assert row.p_learned == pytest.approx(bkt_update(P_INIT, True, guess=0.05))
    event = MasteryEvent.objects.get(user=student)
    assert (event.source, event.kind, event.correct) == ("quiz", "numeric", True)
    assert event.question == question and event.source_key.startswith("quiz:")


@pytest.mark.django_db
def test_a_retry_after_a_wrong_answer_does_not_raise_mastery(student: User) -> None:
    question = QuestionFactory()
    assert practise(student, question, "2")  # wrong, counted
    after_wrong = mastery_of(student, question).p_learned
    variant_advance(user=student, question=question)  # "Try again"
    assert not practise(student, question, "1")  # right, a practice try
    row = mastery_of(student, question)
    assert row.p_learned == after_wrong < P_INIT
    assert row.observations == 1
    assert MasteryEvent.objects.filter(user=student).count() == 1


@pytest.mark.django_db
def test_a_hint_before_the_answer_makes_it_not_right(student: User) -> None:
    question = QuestionFactory(hints=["It is one."])
    HintUseFactory(
        user=student, question=question, seed=current_seed(student, question)
    )
    assert practise(student, question, "1")
    event = MasteryEvent.objects.get(user=student)
    assert event.correct is False
    assert mastery_of(student, question).p_learned < P_INIT


@pytest.mark.django_db
def test_the_same_attempt_counts_once(student: User) -> None:
    question = QuestionFactory()
    attempt = answered(student, question)
    assert mastery_record_quiz(attempt=attempt, hints_used=0) is None
    assert mastery_of(student, question).observations == 1


@pytest.mark.django_db(transaction=True)
def test_an_attempt_wrongly_called_fresh_still_cannot_count_twice(
    student: User,
) -> None:
    """`fresh` skips the look for an earlier event (the answer check stores
    the attempt in the same transaction); were it passed for an attempt
    already counted, the event's unique key refuses the second, and the
    topic's estimate is left as the first answer moved it."""
    question = QuestionFactory()
    attempt = answered(student, question)
    before = mastery_of(student, question)
    with pytest.raises(IntegrityError):
        mastery_record_quiz(attempt=attempt, hints_used=0, fresh=True)
    after = mastery_of(student, question)
    assert (after.observations, after.p_learned) == (1, before.p_learned)
    assert MasteryEvent.objects.filter(user=student).count() == 1


@pytest.mark.django_db
def test_a_marked_paper_moves_the_topics_of_its_answered_items(student: User) -> None:
    topic_a, topic_b = TopicFactory(), TopicFactory()
    right = QuestionFactory(topic=topic_a)
    wrong = QuestionFactory(topic=topic_a)
    blank = QuestionFactory(topic=topic_b)
    exam = MockExamFactory(user=student, questions=[right, wrong, blank])
    items = list(exam.items.order_by("position"))
    for item, value in zip(items[:2], ("1", "7"), strict=True):
        item.answer = {"value": value}
        item.save()
    exam_submit(exam=exam)
    events = MasteryEvent.objects.filter(user=student, source="exam")
    assert sorted((e.question_id, e.correct) for e in events) == sorted(
        [(right.pk, True), (wrong.pk, False)]
    )
    assert Mastery.objects.get(user=student, topic=topic_a).observations == 2
    assert not Mastery.objects.filter(user=student, topic=topic_b).exists()
    exam_submit(exam=exam)  # idempotent: the paper is marked once
    assert MasteryEvent.objects.filter(user=student).count() == 2


@pytest.mark.django_db
def test_every_topic_is_listed_not_started_until_answered(student: User) -> None:
    first, second = TopicFactory(order=1), TopicFactory(order=2)
    answered(student, QuestionFactory(topic=second), correct=False)
    rows = {row.topic: row for row in topic_mastery_list(user=student)}
    assert rows[first].state == "not_started" and not rows[first].started
    assert rows[first].p_learned == P_INIT
    assert rows[second].started and rows[second].state_label == "Learning"
    assert rows[second].percent < 20


@pytest.mark.django_db
def test_another_students_answers_move_only_their_own_mastery(
    student: User, other_student: User
) -> None:
    question = QuestionFactory()
    answered(other_student, question)
    rows = {row.topic: row for row in topic_mastery_list(user=student)}
    assert not rows[question.topic].started
