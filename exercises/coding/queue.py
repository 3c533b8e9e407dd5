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
  GRADING_REQUEUE_AFTER is sent again only when the broker's queue holds
  fewer messages than there are queued rows of every kind of job sent to it
  (`lost_count`), and then only that many, oldest first;
- retry: what a sweep sends again is claimed like the first time; each job
  decides when it gives up;
- fairness: a message carries a broker priority (Redis serves a lower number
  first). A student's job goes by how many of their own gradings wait before
  it (`fair_priority`), so one student's burst queues behind everybody's first
  submission instead of in front of it; a regrade run, which nobody watches
  live, goes last (`background_priority`) and sends its next chunk at that priority, so
  a regrade of a whole class never holds a student's verdict for longer than
  one chunk. The embedded filesystem broker ignores priorities (one user).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

log = logging.getLogger(__name__)

# The worker's soft time limit struck: the job stops and says so.
OutOfTime = SoftTimeLimitExceeded


WAITING = ("queued", "running")
_JOBS: list[Job] = []  # every kind of job, as its module defines it


def background_priority(_: int = 0) -> int:
    """Work nobody watches live: after every student's (the last step of
    settings.GRADING_PRIORITY_STEPS; on Redis a lower number goes first)."""
    return int(settings.GRADING_PRIORITY_STEPS[-1])


def fair_priority(ahead: int) -> int:
    """A student's job with `ahead` of their own jobs waiting before it: the
    first goes with everybody's first, each one more a step later."""
    steps = settings.GRADING_PRIORITY_STEPS
    return int(steps[min(max(ahead, 0), len(steps) - 1)])


def student_priority(model: type[Model], *others: type[Model]) -> Callable[[int], int]:
    """The priority of a student's `model` job: it waits behind everybody's
    first grading, one step per job of their own (of its kind and `others`)
    queued or running before it."""

    def priority(pk: int) -> int:
        return fair_priority(own_jobs_ahead(model, pk, model, *others))

    return priority


def own_jobs_ahead(model: type[Model], pk: int, *kinds: type[Model]) -> int:
    """How many of the same user's jobs of these kinds (rows with `user`,
    `status` and `created_at`) are queued or running before the `model` row
    `pk`: earlier rows of its own kind, and rows of the others made before it."""
    row = model._default_manager.filter(pk=pk).values("user_id", "created_at").first()
    if row is None:
        return 0
    ahead = 0
    for kind in kinds:
        mine = kind._default_manager.filter(user_id=row["user_id"], status__in=WAITING)
        if kind is model:
            mine = mine.filter(pk__lt=pk)
        else:
            mine = mine.filter(created_at__lt=row["created_at"])
        ahead += mine.count()
    return ahead


@dataclass(frozen=True)
class Job:
    """One kind of job: the task that runs it, what to call it in logs, the
    broker priority of a row's message (None: the broker's default, first),
    and how many of its rows should have a message waiting in the broker
    (queued and sent; for `lost_count`)."""

    task: Any  # a Celery task taking the row's id
    noun: str
    priority: Callable[[int], int] | None = None
    waiting: Callable[[], int] | None = None

    def __post_init__(self) -> None:
        _JOBS.append(self)

    @property
    def queue_name(self) -> str:
        """The broker queue its messages go to (settings' task routes)."""
        route = settings.CELERY_TASK_ROUTES.get(self.task.name, {})
        return str(route.get("queue", settings.CELERY_TASK_DEFAULT_QUEUE))

    def send(self, pk: int) -> bool:
        """Send the task; False (logged) when the broker cannot take it: the
        row stays queued and the sweeper sends it again."""
        priority = self.priority(pk) if self.priority else None
        try:
            self.task.apply_async(args=(pk,), retry=False, priority=priority)
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


def sent_and_queued(model: type[Model]) -> Callable[[], int]:
    """A job's `waiting`: its rows (with `status` and `enqueued_at`) queued
    and sent."""
    return model._default_manager.filter(
        status="queued", enqueued_at__isnull=False
    ).count


def lost_rows(
    queued: QuerySet[Any], job: Job, now: datetime | None = None, limit: int = 500
) -> list[int]:
    """The ids a sweep sends again of these queued rows (with `enqueued_at`):
    those never sent (the broker was down), then, of those sent before
    `lost_before(now)`, as many of the oldest as the broker is missing
    messages for (`lost_count`)."""
    unsent = list(
        queued.filter(enqueued_at__isnull=True).values_list("pk", flat=True)[:limit]
    )
    missing = lost_count(job, queued.filter(enqueued_at__isnull=False).count())
    old = (
        queued.filter(enqueued_at__lt=lost_before(now))
        .order_by("enqueued_at", "pk")
        .values_list("pk", flat=True)[: min(missing, limit)]
    )
    return unsent + list(old)


def lost_count(job: Job, queued_rows: int) -> int:
    """At most how many of the job's `queued_rows` (queued and sent) have no
    message left in the broker.

    Every queued row was sent once, and several kinds of job share a broker
    queue (submissions, rung checks, validations and regrades all go to
    `grading`): the broker holding as many messages as all those kinds have
    rows waiting means none is lost (a backlog, not a loss). A message a
    worker has taken but not yet claimed (its prefetch) counts as missing
    here, so a few rows may be sent twice: a second delivery changes nothing
    (see `claim`)."""
    waiting = waiting_messages(job.queue_name)
    if waiting is None:
        return queued_rows
    others = sum(
        other.waiting()
        for other in _JOBS
        if other is not job and other.waiting and other.queue_name == job.queue_name
    )
    return min(max(others + queued_rows - waiting, 0), queued_rows)
