"""The grading queue: one pattern for every job on it.

A job (a submission's grading, an own exercise's validation, a regrade run)
is a database row plus a Celery message that names it. The row is the truth;
the message is only a nudge, delivered at least once:

- enqueue: send the message after the row is committed; a broker that is down
  is logged, not raised, and the row stays queued;
- claim: a worker takes the row with a conditional UPDATE and stores its
  result only while it still holds the claim, so a second delivery or a
  superseded run changes nothing;
- sweep: a periodic task sends again the rows whose message was lost (queued
  past GRADING_REQUEUE_AFTER) or whose worker died (running past
  GRADING_HARD_TIME_LIMIT);
- retry: what a sweep sends again is claimed like the first time; each job
  decides when it gives up.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
