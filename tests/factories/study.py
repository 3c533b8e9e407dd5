"""The student's study plan: review cards, mock exams and personal sheets."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory
from fsrs import Card

from exercises.models import Question, Topic
from tests.factories.content import QuestionFactory
from tests.factories.users import StudentFactory
from tutor.models import (
    ExamBlueprint,
    MockExam,
    MockExamItem,
    PersonalSheet,
    ReviewCard,
)


class ReviewCardFactory(DjangoModelFactory[ReviewCard]):
    """A new FSRS card, due now."""

    class Meta:
        model = ReviewCard

    user = factory.SubFactory(StudentFactory)
    question = factory.SubFactory(QuestionFactory)
    due = factory.LazyFunction(timezone.now)
    state = factory.LazyAttribute(lambda card: Card(due=card.due).to_dict())


class ExamBlueprintFactory(DjangoModelFactory[ExamBlueprint]):
    class Meta:
        model = ExamBlueprint

    class Params:
        # A five-minute paper of one YOLO question (topic 6.10 of the course).
        quick = factory.Trait(
            name="Quick YOLO paper",
            duration_minutes=5,
            rules=factory.LazyFunction(lambda: [{"topic": "6.10", "count": 1}]),
        )

    name = factory.Sequence(lambda n: f"Blueprint {n}")


class MockExamItemFactory(DjangoModelFactory[MockExamItem]):
    class Meta:
        model = MockExamItem

    exam = factory.SubFactory("tests.factories.study.MockExamFactory")
    position = factory.Sequence(lambda n: n)
    question = factory.SubFactory(QuestionFactory)
    seed = 1


def _paper_items(
    exam: MockExam,
    create: bool,
    extracted: Sequence[Question] | None,
    first_seed: int = 1,
    **kwargs: Any,
) -> None:
    for position, question in enumerate(extracted or []):
        MockExamItemFactory(
            exam=exam, position=position, question=question, seed=first_seed + position
        )


class MockExamFactory(DjangoModelFactory[MockExam]):
    """An open paper with thirty minutes left; `submitted` hands it in now.
    `questions=[...]` adds an item per question, in order, with the seeds
    `questions__first_seed` (1 unless told), the next one, and so on."""

    class Meta:
        model = MockExam
        skip_postgeneration_save = True

    class Params:
        submitted = factory.Trait(submitted_at=factory.LazyFunction(timezone.now))

    user = factory.SubFactory(StudentFactory)
    title = factory.Sequence(lambda n: f"Paper {n}")
    deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30))

    questions = factory.PostGeneration(_paper_items)


def _sheet_topics(
    sheet: PersonalSheet, create: bool, extracted: Iterable[Topic] | None, **kwargs: Any
) -> None:
    if create and extracted is not None:
        sheet.topics.set(extracted)


class PersonalSheetFactory(DjangoModelFactory[PersonalSheet]):
    """A student's sheet; `topics=[...]` chooses its topics."""

    class Meta:
        model = PersonalSheet
        skip_postgeneration_save = True

    user = factory.SubFactory(StudentFactory)
    title = factory.Sequence(lambda n: f"Sheet {n}")

    topics = factory.PostGeneration(_sheet_topics)
