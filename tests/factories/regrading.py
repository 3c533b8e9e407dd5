"""The audit log and regrade runs."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from exercises.models import AuditEntry, RegradeChange, RegradeRun
from tests.factories.records import SubmissionFactory
from tests.factories.users import InstructorFactory


class AuditEntryFactory(DjangoModelFactory[AuditEntry]):
    class Meta:
        model = AuditEntry

    actor = None
    actor_name = factory.LazyAttribute(
        lambda entry: entry.actor.username if entry.actor else "instructor"
    )
    action = "change"


class RegradeRunFactory(DjangoModelFactory[RegradeRun]):
    """A dry run, queued, over `submission_ids` (none unless told)."""

    class Meta:
        model = RegradeRun

    created_by = factory.SubFactory(InstructorFactory)
    submission_ids = factory.LazyFunction(list)


class RegradeChangeFactory(DjangoModelFactory[RegradeChange]):
    class Meta:
        model = RegradeChange

    run = factory.SubFactory(RegradeRunFactory)
    submission = factory.SubFactory(SubmissionFactory)
