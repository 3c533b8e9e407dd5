"""Courses: a course and its members, assignments with their items, extensions
and the work students hand in.

An assignment opens a day ago and is due in a week (so work is accepted now),
unpublished as the model starts; `published=True` publishes it and `exam=True`
gives it a mock-exam blueprint. An item is a question unless `coding=True`. A
Work row is a correct quiz answer at a question item of its assignment, made
by a student; `coding=True` makes it a queued submission at a coding item
(`coding=True, submission__graded=True` a graded one) and `exam=True` an open
mock exam of an exam assignment.
"""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from tests.factories.content import CodingExerciseFactory, QuestionFactory
from tests.factories.records import QuizAttemptFactory, SubmissionFactory
from tests.factories.study import ExamBlueprintFactory, MockExamFactory
from tests.factories.users import StudentFactory
from tutor.courses.models import (
    Assignment,
    AssignmentItem,
    Course,
    Extension,
    Membership,
    Work,
)


class CourseFactory(DjangoModelFactory[Course]):
    class Meta:
        model = Course

    code = factory.Sequence(lambda n: f"course-{n}")
    title = factory.Sequence(lambda n: f"Deep learning {n}")
    term = "Autumn 2026"


class MembershipFactory(DjangoModelFactory[Membership]):
    """A student of a new course; `role=...` for another course role (the
    user stays a plain student of the site: course roles are not site roles)."""

    class Meta:
        model = Membership

    course = factory.SubFactory(CourseFactory)
    user = factory.SubFactory(StudentFactory)
    role = Membership.Role.STUDENT


class AssignmentFactory(DjangoModelFactory[Assignment]):
    class Meta:
        model = Assignment

    class Params:
        published = factory.Trait(is_published=True)
        exam = factory.Trait(blueprint=factory.SubFactory(ExamBlueprintFactory))

    course = factory.SubFactory(CourseFactory)
    slug = factory.Sequence(lambda n: f"assignment-{n}")
    title = factory.Sequence(lambda n: f"Assignment {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class AssignmentItemFactory(DjangoModelFactory[AssignmentItem]):
    """A question worth one point; `coding=True`: a coding exercise instead."""

    class Meta:
        model = AssignmentItem

    class Params:
        coding = factory.Trait(
            question=None, exercise=factory.SubFactory(CodingExerciseFactory)
        )

    assignment = factory.SubFactory(AssignmentFactory)
    question = factory.SubFactory(QuestionFactory)
    exercise = None
    order = factory.Sequence(lambda n: n)


class ExtensionFactory(DjangoModelFactory[Extension]):
    """Two more days for a student; the late window as the assignment's."""

    class Meta:
        model = Extension

    assignment = factory.SubFactory(AssignmentFactory)
    user = factory.SubFactory(StudentFactory)
    due_at = factory.LazyAttribute(lambda e: e.assignment.due_at + timedelta(days=2))
    reason = "Illness"


class WorkFactory(DjangoModelFactory[Work]):
    class Meta:
        model = Work

    class Params:
        coding = factory.Trait(
            item=factory.SubFactory(
                AssignmentItemFactory,
                assignment=factory.SelfAttribute("..assignment"),
                coding=True,
            ),
            quiz_attempt=None,
            submission=factory.SubFactory(
                SubmissionFactory,
                user=factory.SelfAttribute("..user"),
                exercise=factory.SelfAttribute("..item.exercise"),
            ),
        )
        exam = factory.Trait(
            assignment=factory.SubFactory(AssignmentFactory, exam=True),
            item=None,
            quiz_attempt=None,
            mock_exam=factory.SubFactory(
                MockExamFactory,
                user=factory.SelfAttribute("..user"),
                blueprint=factory.SelfAttribute("..assignment.blueprint"),
            ),
        )

    assignment = factory.SubFactory(AssignmentFactory)
    item = factory.SubFactory(
        AssignmentItemFactory, assignment=factory.SelfAttribute("..assignment")
    )
    user = factory.SubFactory(StudentFactory)
    quiz_attempt = factory.SubFactory(
        QuizAttemptFactory,
        user=factory.SelfAttribute("..user"),
        question=factory.SelfAttribute("..item.question"),
    )
