"""Students' code submissions: create, enqueue, grade, sweep, and the tasks
that run them on the grading queue (`exercises.coding.queue`).

Grading is idempotent under at-least-once delivery: a worker claims the row
with a conditional UPDATE (queued, or running but stale past the hard time
limit), and records its result only while it still holds the claim. The
sweeper re-enqueues what a dead worker or a lost message left behind and gives
up with a clear error after GRADING_MAX_ATTEMPTS claims.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from celery import Task, shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from exercises.coding import grader, queue
from exercises.coding.signals import submission_scored
from exercises.models import CodingExercise, RungAttempt, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)
Status = Submission.Status


class SubmissionRejected(Exception):
    """A submission that cannot be accepted, with the HTTP status to answer."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def submission_create(
    *, user: User, exercise: CodingExercise, source: str
) -> Submission:
    """Store a submission and enqueue its grading once the row is committed."""
    _validate_source(source)
    _check_rate(user)
    if Submission.objects.filter(
        user=user, exercise=exercise, status__in=[Status.QUEUED, Status.RUNNING]
    ).exists():
        raise _already_active()
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                user=user, exercise=exercise, source=source
            )
            transaction.on_commit(
                lambda: submission_enqueue(submission_id=submission.pk)
            )
    except IntegrityError:
        # Two requests raced past the check above; the partial unique
        # constraint let only one of them in.
        raise _already_active() from None
    return submission


def _check_rate(user: User) -> None:
    """At most GRADING_SUBMISSIONS_PER_MINUTE submissions a minute per student."""
    limit = settings.GRADING_SUBMISSIONS_PER_MINUTE
    recent = Submission.objects.filter(
        user=user, created_at__gte=timezone.now() - timedelta(minutes=1)
    ).count()
    if recent >= limit:
        raise SubmissionRejected(
            f"You have submitted {recent} times in the last minute; the limit is {limit}. "
            "Read the last report, then try again in a moment.",
            429,
        )


def _already_active() -> SubmissionRejected:
    return SubmissionRejected(
        "You already have a submission for this exercise being graded. "
        "Wait for its result before submitting again.",
        409,
    )


def _validate_source(source: str) -> None:
    if not source.strip():
        raise SubmissionRejected(
            "Your code is empty: write the function, then submit.", 400
        )
    size = len(source.encode("utf-8"))
    limit = settings.GRADING_MAX_SOURCE_BYTES
    if size > limit:
        raise SubmissionRejected(
            f"Your code is {size:,} bytes; the limit is {limit:,} bytes.", 413
        )
    if "\x00" in source:
        raise SubmissionRejected("Your code contains a NUL character.", 400)


def submission_enqueue(*, submission_id: int) -> bool:
    """Send the grading task; a broker that is down is logged, not raised.

    The row stays queued either way, so the sweeper sends it again later.
    """
    Submission.objects.filter(pk=submission_id).update(enqueued_at=timezone.now())
    return GRADING.send(submission_id)


def submission_claim(*, submission_id: int, worker_id: str) -> Submission | None:
    """Claim a submission for grading; None if another worker has it or it is done."""
    now = timezone.now()
    stale = queue.stalled_before(now)
    claimed = queue.claim(
        Submission.objects.filter(
            pk=submission_id, attempts__lt=settings.GRADING_MAX_ATTEMPTS
        ).filter(
            Q(status=Status.QUEUED) | Q(status=Status.RUNNING, started_at__lt=stale)
        ),
        status=Status.RUNNING,
        started_at=now,
        worker_id=worker_id[:200],
        attempts=F("attempts") + 1,
        phase="starting",
        cases_done=0,
        cases_total=0,
    )
    if not claimed:
        return None
    return Submission.objects.select_related("exercise").get(pk=submission_id)


def submission_grade(*, submission_id: int, worker_id: str) -> None:
    """Grade one submission and store its report; safe to call more than once."""

    submission = submission_claim(submission_id=submission_id, worker_id=worker_id)
    if submission is None:
        log.info(
            "submission %s is not claimable (done, or held by a live worker)",
            submission_id,
        )
        return
    try:
        report = grader.grade(
            submission.exercise,
            submission.source,
            seed=submission.pk,
            on_progress=_progress_writer(submission.pk, worker_id),
        )
    except grader.NotGradable as exc:
        _finish_error(
            submission,
            worker_id,
            "This exercise is misconfigured (its grader is missing). "
            "The instructor has been told; your code is saved.",
        )
        log.error("submission %s not gradable: %s", submission_id, exc.message)
        return
    except queue.OutOfTime:
        _finish_error(
            submission,
            worker_id,
            "Grading took longer than the server allows. Your code is saved; "
            "check it for very slow loops and submit again.",
        )
        return
    except Exception:
        log.exception("grading submission %s failed", submission_id)
        _finish_error(
            submission,
            worker_id,
            "The grader hit an internal error. Your code is saved; please submit again "
            "or tell the instructor.",
        )
        return
    stored = Submission.objects.filter(
        pk=submission.pk, status=Status.RUNNING, worker_id=worker_id
    ).update(
        status=Status.DONE,
        score=report.score,
        report=report.to_dict(),
        error_message="",
        engine_version=report.engine_version,
        finished_at=timezone.now(),
    )
    if stored:
        submission_scored.send(sender=Submission, submission_id=submission.pk)


# A grading's progress on its row, for the page that polls the status (once a
# second): nothing while the grading is young (most end within this: their
# row goes from "starting" to done in one write), then at most a write each
# PROGRESS_EVERY seconds, and at once when the phase changes.
PROGRESS_QUIET = 0.25
PROGRESS_EVERY = 0.25


def _progress_writer(
    submission_id: int,
    worker_id: str,
    clock: Callable[[], float] = time.monotonic,
) -> Callable[[str, int, int], None]:
    """Record the phase and cases done (see PROGRESS_QUIET)."""
    started = clock()
    last_phase, last_at = [""], [started]

    def write(phase: str, done: int, total: int) -> None:
        now = clock()
        if now - started < PROGRESS_QUIET:
            return
        if phase == last_phase[0] and now - last_at[0] < PROGRESS_EVERY:
            return
        last_phase[0], last_at[0] = phase, now
        Submission.objects.filter(
            pk=submission_id, worker_id=worker_id, status=Status.RUNNING
        ).update(phase=phase, cases_done=done, cases_total=total)

    return write


def _finish_error(submission: Submission, worker_id: str, message: str) -> None:
    Submission.objects.filter(
        pk=submission.pk, status=Status.RUNNING, worker_id=worker_id
    ).update(status=Status.ERROR, error_message=message, finished_at=timezone.now())


@dataclass(frozen=True)
class SweepSummary:
    requeued: int
    failed: int


def submissions_sweep() -> SweepSummary:
    """Re-enqueue submissions left behind; fail those that used up their attempts."""
    now = timezone.now()
    stale_running = queue.stalled_before(now)
    max_attempts = settings.GRADING_MAX_ATTEMPTS
    failed = Submission.objects.filter(
        Q(status=Status.RUNNING, started_at__lt=stale_running)
        | Q(status=Status.QUEUED),
        attempts__gte=max_attempts,
    ).update(
        status=Status.ERROR,
        finished_at=now,
        error_message=(
            f"Grading was interrupted {max_attempts} times (the worker stopped or ran out "
            "of time). Your code is saved; submit it again, and tell the instructor if "
            "this repeats."
        ),
    )
    Submission.objects.filter(
        status=Status.RUNNING, started_at__lt=stale_running
    ).update(status=Status.QUEUED, enqueued_at=None)
    ids = queue.lost_rows(Submission.objects.filter(status=Status.QUEUED), GRADING, now)
    for submission_id in ids:
        submission_enqueue(submission_id=submission_id)
    if ids or failed:
        log.info("sweep: re-enqueued %d, failed %d", len(ids), failed)
    return SweepSummary(requeued=len(ids), failed=failed)


# --- Tasks ---------------------------------------------------------------------


@shared_task(bind=True, name="exercises.tasks.grade_submission", acks_late=True)
def grade_submission(self: Task, submission_id: int) -> None:
    worker_id = f"{self.request.hostname}:{os.getpid()}:{self.request.id}"
    submission_grade(submission_id=submission_id, worker_id=worker_id)


@shared_task(name="exercises.tasks.sweep_submissions")
def sweep_submissions() -> dict[str, int]:
    summary = submissions_sweep()
    return {"requeued": summary.requeued, "failed": summary.failed}


# A submission waits behind everybody's first grading, one step per grading
# of the student's own (submissions and rung checks) before it.
submission_priority = queue.student_priority(Submission, RungAttempt)


GRADING = queue.Job(
    grade_submission,
    "submission",
    submission_priority,
    waiting=queue.sent_and_queued(Submission),
)
