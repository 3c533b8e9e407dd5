"""The cast: a plain user, students and instructors, all signing in with PASSWORD."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import factory
from django.contrib.auth.models import Group, User
from factory.django import DjangoModelFactory, Password

from exercises.roles import INSTRUCTORS, STUDENTS, ensure_roles

PASSWORD = "correct-horse-battery"


def _join(*default: str) -> factory.PostGeneration:
    """Add the user to groups: the factory's role, or the names passed as `groups`."""

    def join(
        user: User, create: bool, extracted: Iterable[str] | None, **kwargs: Any
    ) -> None:
        names = list(default if extracted is None else extracted)
        if create and names:
            ensure_roles()
            user.groups.add(*Group.objects.filter(name__in=names))

    return factory.PostGeneration(join)


class UserFactory(DjangoModelFactory[User]):
    """A user in no group: signs in with PASSWORD, reaches no instructor page."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = Password(PASSWORD)
    groups = _join()


class StudentFactory(UserFactory):
    username = factory.Sequence(lambda n: f"student{n}")
    groups = _join(STUDENTS)


class InstructorFactory(UserFactory):
    """Staff in the instructors group: an instructor (exercises.roles.is_instructor)."""

    username = factory.Sequence(lambda n: f"instructor{n}")
    is_staff = True
    groups = _join(INSTRUCTORS)
