"""The LTI app's Celery tasks: thin interfaces that take an id and call a
service (passback.py, roster.py). Messages are nudges: the rows are the
truth, and the sweep sends again what is due."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from celery import shared_task
from django.db import transaction

from exercises.coding.queue import Job
from tutor.lti import passback, roster

log = logging.getLogger(__name__)


@shared_task(name="tutor.lti.tasks.passback_send", acks_late=True)
def passback_send(passback_id: int) -> str:
    outcome = passback.passback_send(passback_id=passback_id)
    if outcome == "again":  # a newer score arrived while this one was posted
        PASSBACK.send(passback_id)
    return outcome


@shared_task(name="tutor.lti.tasks.passback_sweep")
def passback_sweep() -> int:
    return PASSBACK.resend(passback.due_ids())


@shared_task(name="tutor.lti.tasks.roster_sync", acks_late=True)
def roster_sync(context_id: int) -> int:
    count = roster.roster_sync(context_id=context_id)
    return -1 if count is None else count


PASSBACK = Job(passback_send, "grade passback")
ROSTER = Job(roster_sync, "roster sync")


def send_on_commit(passback_ids: Iterable[int]) -> None:
    """Send these passbacks once the transaction that changed them commits."""
    for pk in passback_ids:
        PASSBACK.send_on_commit(pk)


def roster_sync_on_commit(context_id: int) -> None:
    transaction.on_commit(lambda: ROSTER.send(context_id))
