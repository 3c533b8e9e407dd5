"""The LTI tool's rows: a platform registration and its deployments, and an
assignment worth linking (one coding exercise, the course's IoU)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from exercises.models import CodingExercise
from tests.factories.content import CodingExerciseFactory
from tests.factories.courses import AssignmentFactory, AssignmentItemFactory
from tutor.courses.models import Assignment
from tutor.lti.models import Deployment, Registration


class RegistrationFactory(DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    name = factory.Sequence(lambda n: f"Platform {n}")
    issuer = factory.Sequence(lambda n: f"https://lms{n}.example")
    client_id = factory.Sequence(lambda n: f"client-{n}")
    auth_login_url = factory.LazyAttribute(lambda r: f"{r.issuer}/auth")
    auth_token_url = factory.LazyAttribute(lambda r: f"{r.issuer}/token")
    key_set_url = factory.LazyAttribute(lambda r: f"{r.issuer}/jwks")


class DeploymentFactory(DjangoModelFactory[Deployment]):
    class Meta:
        model = Deployment

    registration = factory.SubFactory(RegistrationFactory)
    deployment_id = factory.Sequence(lambda n: f"deployment-{n}")
    is_active = True


def assignment_with_exercise(**fields: object) -> Assignment:
    """Published and open for a week; one item: the IoU exercise, 10 points."""
    assignment = AssignmentFactory(published=True, **fields)
    exercise = CodingExercise.objects.filter(slug="iou").first()
    AssignmentItemFactory(
        assignment=assignment,
        question=None,
        exercise=exercise or CodingExerciseFactory(iou=True),
        points=10.0,
    )
    return assignment
