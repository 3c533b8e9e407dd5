"""The grading queue: one pattern for every job on it.

A job (a submission's grading, an own exercise's validation, a regrade run)
is a database row plus a Celery message that names it. The row is the truth;
the message is only a nudge, delivered at least once:

- enqueue: send the message after the row is committed; a broker that is down
  is logged, not raised, and the row stays queued;
- claim: a worker takes the row with a conditional UPDATE and stores its
  result only while it still holds the claim, so a second delivery or a
  superseded run changes nothing;
- sweep: a periodic task sends again the rows whose message was lost or
  whose worker died (running past GRADING_HARD_TIME_LIMIT). A row merely
  waiting behind a backlog is not lost: a queued row past
  GRADING_REQUEUE_AFTER is sent again only when the broker holds fewer
  messages than there are queued rows (`lost_count`), and then only that
  many, oldest first;
- retry: what a sweep sends again is claimed like the first time; each job
  decides when it gives up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)

# The worker's soft time limit struck: the job stops and says so.
OutOfTime = SoftTimeLimitExceeded


@dataclass(frozen=True)
class Job:
    """One kind of job: the task that runs it and what to call it in logs."""

    task: Any  # a Celery task taking the row's id
    noun: str

    @property
    def queue_name(self) -> str:
        """The broker queue its messages go to (settings' task routes)."""
        route = settings.CELERY_TASK_ROUTES.get(self.task.name, {})
        return str(route.get("queue", settings.CELERY_TASK_DEFAULT_QUEUE))

    def send(self, pk: int) -> bool:
        """Send the task; False (logged) when the broker cannot take it: the
        row stays queued and the sweeper sends it again."""
        try:
            self.task.apply_async(args=(pk,), retry=False)
        except Exception:  # noqa: BLE001 - any broker failure; the sweeper retries
            log.warning("could not enqueue %s %s; the sweeper will", self.noun, pk)
            return False
        return True

    def send_on_commit(self, pk: int) -> None:
        """Send the task once the transaction that made the row commits."""
        transaction.on_commit(lambda: self.send(pk))

    def resend(self, ids: Iterable[int]) -> int:
        """Send again what a sweep found; how many were sent."""
        ids = list(ids)
        sent = sum(self.send(pk) for pk in ids)
        if ids:
            log.info("sweep: %s %s sent again", self.noun, ids)
        return sent


def claim(rows: QuerySet[Any], **fields: Any) -> bool:
    """Take the rows (already filtered to what is claimable) with one
    conditional UPDATE; True if this worker got them."""
    return rows.update(**fields) > 0


def lost_before(now: datetime | None = None) -> datetime:
    """Queued before this and still queued: its message was lost."""
    now = now or timezone.now()
    return now - timedelta(seconds=settings.GRADING_REQUEUE_AFTER)


def stalled_before(now: datetime | None = None) -> datetime:
    """Running since before this: its worker died (past the hard time limit)."""
    now = now or timezone.now()
    return now - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT)


def waiting_messages(queue_name: str) -> int | None:
    """How many messages wait in the broker's queue (taken by no worker yet);
    None when the broker cannot be asked (it is down: nothing can be sent
    anyway, and the caller falls back on age alone)."""
    try:
        with current_app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            channel: Any = connection.default_channel
            declared = channel.queue_declare(queue=queue_name, passive=False)
            return int(declared.message_count)
    except Exception:  # noqa: BLE001 - any broker failure: the count is unknown
        log.warning("sweep: the broker's %s queue could not be counted", queue_name)
        return None


def lost_count(*, queued_rows: int, queue_name: str) -> int:
    """At most how many queued rows have no message left in the broker.

    Every queued row was sent once; the broker holding as many messages as
    there are queued rows means none is lost (a backlog, not a loss). A
    message a worker has taken but not yet claimed (its prefetch) counts as
    missing here, so a few rows may be sent twice: a second delivery changes
    nothing (see `claim`). The queue may hold other jobs' messages too, which
    only makes this count lower: a lost row then waits for the backlog to
    shrink, it is never sent twice for it."""
    waiting = waiting_messages(queue_name)
    if waiting is None:
        return queued_rows
    return max(queued_rows - waiting, 0)
