"""Mastery rows, first answers that move them, and review cards of coding
exercises with a chosen stability."""

from __future__ import annotations

from datetime import datetime, timedelta

import factory
from django.contrib.auth.models import User
from django.utils import timezone
from factory.django import DjangoModelFactory
from fsrs import Card, State

from exercises.models import CodingExercise, Question, QuizAttempt
from tests.factories.content import TopicFactory
from tests.factories.records import QuizAttemptFactory
from tests.factories.users import StudentFactory
from tutor.code_review import form_for, has_ladder
from tutor.mastery import P_INIT, mastery_record_quiz
from tutor.models import Mastery, ReviewCard


class MasteryFactory(DjangoModelFactory[Mastery]):
    """A topic not started: the prior, no observations."""

    class Meta:
        model = Mastery

    user = factory.SubFactory(StudentFactory)
    topic = factory.SubFactory(TopicFactory)
    p_learned = P_INIT
    observations = 0
    state = Mastery.State.NOT_STARTED


def answered(
    user: User, question: Question, *, correct: bool = True, hints: int = 0
) -> QuizAttempt:
    """A counted first answer to a question, recorded for mastery as
    tutor.services.practice_answer records it."""
    attempt = QuizAttemptFactory(user=user, question=question, is_correct=correct)
    mastery_record_quiz(attempt=attempt, hints_used=hints)
    return attempt


def code_card(
    user: User,
    exercise: CodingExercise,
    *,
    stability: float,
    due: datetime | None = None,
    reviews: int = 1,
    form: str = "",
) -> ReviewCard:
    """The exercise's review card in FSRS's review state with `stability`
    days, due at `due` (now unless told), last reviewed `stability` days
    before; `form` is the form recorded as served (by default the one its
    stability gives)."""
    due = due or timezone.now()
    card = Card(
        state=State.Review,
        stability=stability,
        difficulty=5.0,
        due=due,
        last_review=due - timedelta(days=stability),
    )
    return ReviewCard.objects.create(
        user=user,
        exercise=exercise,
        state=card.to_dict(),
        due=due,
        reviews=reviews,
        form_served=form or form_for(stability=stability, ladder=has_ladder(exercise)),
    )
