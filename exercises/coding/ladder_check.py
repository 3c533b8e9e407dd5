"""Checking a ladder rung attempt (a faded example's blanks, a Parsons
problem's blocks): the program the answer assembles is graded by the engine
in a worker, on the grading queue, like a submission (`exercises.coding.queue`).

The verdict is always the engine's: passed, or failed with the named mistake
it diagnosed (a Parsons distractor that was placed names its mistake when the
run names none). The report stored on the attempt is the engine's public
report: hidden cases keep their name and verdict, never their inputs or
values, so nothing a student sees of a rung can carry them.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from celery import Task, shared_task
from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from exercises.coding import grader, queue
from exercises.coding.signals import rung_checked
from exercises.models import RungAttempt, Submission

if TYPE_CHECKING:
    from engine.report import Report

log = logging.getLogger(__name__)
Status = RungAttempt.Status


def rung_enqueue(*, attempt_id: int) -> bool:
    """Send the checking task; a broker that is down is logged, not raised
    (the row stays queued and the sweeper sends it again)."""
    RungAttempt.objects.filter(pk=attempt_id).update(enqueued_at=timezone.now())
    return CHECKING.send(attempt_id)


def rung_claim(*, attempt_id: int, worker_id: str) -> RungAttempt | None:
    """Claim an attempt for checking; None if another worker has it or it is done."""
    now = timezone.now()
    claimed = queue.claim(
        RungAttempt.objects.filter(
            pk=attempt_id, attempts__lt=settings.GRADING_MAX_ATTEMPTS
        ).filter(
            Q(status=Status.QUEUED)
            | Q(status=Status.RUNNING, started_at__lt=queue.stalled_before(now))
        ),
        status=Status.RUNNING,
        started_at=now,
        worker_id=worker_id[:200],
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return None
    return RungAttempt.objects.select_related("exercise").get(pk=attempt_id)


def rung_check(*, attempt_id: int, worker_id: str) -> None:
    """Grade one attempt's program and store the verdict; safe to call twice."""
    attempt = rung_claim(attempt_id=attempt_id, worker_id=worker_id)
    if attempt is None:
        log.info("rung attempt %s is not claimable (done, or held)", attempt_id)
        return
    try:
        report = grader.grade(attempt.exercise, attempt.source, seed=attempt.seed)
    except grader.NotGradable as exc:
        log.error("rung attempt %s not gradable: %s", attempt_id, exc.message)
        _finish_error(attempt, worker_id, NOT_GRADABLE)
        return
    except queue.OutOfTime:
        _finish_error(attempt, worker_id, OUT_OF_TIME)
        return
    except Exception:
        log.exception("checking rung attempt %s failed", attempt_id)
        _finish_error(attempt, worker_id, INTERNAL)
        return
    passed, mistake_id, stored = verdict(report, attempt.answer)
    if (
        passed
        and isinstance(attempt.answer, dict)
        and not attempt.answer.get("order_ok", True)
    ):
        log.info(
            "rung attempt %s: an order the dependency graph did not allow passed "
            "(%s, seed %s)",
            attempt_id,
            attempt.exercise.engine_spec,
            attempt.seed,
        )
    done = RungAttempt.objects.filter(
        pk=attempt.pk, status=Status.RUNNING, worker_id=worker_id
    ).update(
        status=Status.DONE,
        passed=passed,
        mistake_id=mistake_id,
        report=stored,
        error_message="",
        finished_at=timezone.now(),
    )
    if done:
        rung_checked.send(sender=RungAttempt, attempt_id=attempt.pk)


def verdict(report: Report, answer: Any) -> tuple[bool, str, dict[str, Any]]:
    """Passed, the named mistake ("" if none) and the report to store.

    A run that fails without a diagnosis, from a Parsons answer that used a
    distractor, is the distractor's mistake: each distractor is one named
    mistake applied to the line it pairs with."""
    passed = report.verdict == "passed"
    mistake_id = report.mistake.id if report.mistake else ""
    used = answer.get("distractors_used") if isinstance(answer, dict) else None
    if not passed and not mistake_id and used:
        mistake_id = str(used[0])[:80]
    stored = report.public().to_dict()
    if passed and isinstance(answer, dict) and not answer.get("order_ok", True):
        stored["alternative_order"] = True
    return passed, mistake_id, stored


NOT_GRADABLE = (
    "This exercise cannot be checked right now (its grader is missing). "
    "The instructor has been told; try another rung meanwhile."
)
OUT_OF_TIME = (
    "Checking took longer than the server allows. Try again; if it repeats, "
    "tell the instructor."
)
INTERNAL = "The checker hit an internal error. Try again, or tell the instructor."


def _finish_error(attempt: RungAttempt, worker_id: str, message: str) -> None:
    RungAttempt.objects.filter(
        pk=attempt.pk, status=Status.RUNNING, worker_id=worker_id
    ).update(status=Status.ERROR, error_message=message, finished_at=timezone.now())


@dataclass(frozen=True)
class SweepSummary:
    requeued: int
    failed: int


def rungs_sweep() -> SweepSummary:
    """Send again the attempts a lost message or a dead worker left behind;
    fail those that used up their claims."""
    now = timezone.now()
    stalled = queue.stalled_before(now)
    max_attempts = settings.GRADING_MAX_ATTEMPTS
    failed = RungAttempt.objects.filter(
        Q(status=Status.RUNNING, started_at__lt=stalled) | Q(status=Status.QUEUED),
        attempts__gte=max_attempts,
    ).update(
        status=Status.ERROR,
        finished_at=now,
        error_message=(
            f"Checking was interrupted {max_attempts} times. Check your answer "
            "again, and tell the instructor if this repeats."
        ),
    )
    RungAttempt.objects.filter(status=Status.RUNNING, started_at__lt=stalled).update(
        status=Status.QUEUED, enqueued_at=None
    )
    ids = queue.lost_rows(
        RungAttempt.objects.filter(status=Status.QUEUED), CHECKING, now
    )
    for attempt_id in ids:
        rung_enqueue(attempt_id=attempt_id)
    if ids or failed:
        log.info("rung sweep: re-enqueued %d, failed %d", len(ids), failed)
    return SweepSummary(requeued=len(ids), failed=failed)


# --- Tasks ---------------------------------------------------------------------


@shared_task(bind=True, name="exercises.tasks.check_rung", acks_late=True)
def check_rung(self: Task, attempt_id: int) -> None:
    worker_id = f"{self.request.hostname}:{os.getpid()}:{self.request.id}"
    rung_check(attempt_id=attempt_id, worker_id=worker_id)


@shared_task(name="exercises.tasks.sweep_rungs")
def sweep_rungs() -> dict[str, int]:
    summary = rungs_sweep()
    return {"requeued": summary.requeued, "failed": summary.failed}


CHECKING = queue.Job(
    check_rung,
    "rung attempt",
    queue.student_priority(RungAttempt, Submission),
    waiting=queue.sent_and_queued(RungAttempt),
)
