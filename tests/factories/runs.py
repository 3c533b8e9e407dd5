"""Runs of code before submitting it (exercises.coding.runs)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from exercises.models import CodeRun
from tests.factories.content import CodingExerciseFactory
from tests.factories.records import IOU_SOURCE
from tests.factories.users import StudentFactory


class CodeRunFactory(DjangoModelFactory[CodeRun]):
    """A run on the worked examples, queued as a new one is."""

    class Meta:
        model = CodeRun

    user = factory.SubFactory(StudentFactory)
    exercise = factory.SubFactory(CodingExerciseFactory)
    on = CodeRun.On.EXAMPLES
    source = IOU_SOURCE
