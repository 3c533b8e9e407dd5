"""Problems students report: on a question by default, `on_exercise` for a
coding exercise."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from exercises.models import ProblemReport
from tests.factories.content import CodingExerciseFactory, QuestionFactory
from tests.factories.users import StudentFactory


class ProblemReportFactory(DjangoModelFactory[ProblemReport]):
    class Meta:
        model = ProblemReport

    class Params:
        on_exercise = factory.Trait(
            question=None,
            seed=None,
            exercise=factory.SubFactory(CodingExerciseFactory),
        )

    user = factory.SubFactory(StudentFactory)
    question = factory.SubFactory(QuestionFactory)
    seed = 0
    note = "The expected answer looks wrong."
