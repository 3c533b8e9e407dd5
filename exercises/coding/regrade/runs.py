"""Regrade runs: grading stored submissions again with the current engine,
through the live grading path, as jobs on the grading queue.

A dry run grades each selected submission again and records old and new score
in a RegradeChange, leaving the submission alone. Applying a dry run starts a
new run over the submissions the dry run found changed: it grades them again
(the engine may have changed since), stores the new score, report and engine
version where they differ, and keeps the old score where `never_lower` says so.

The work happens in a Celery task that takes a run id and processes pending
submissions one by one for a few seconds, then sends itself again for the
rest, so that students' gradings on the same queue are not held up. Every
step is idempotent under at-least-once delivery: a submission is pending
while the run has no RegradeChange for it, and the change row (unique per run
and submission) is created in the same transaction as the score it applies,
so a second delivery can neither grade into the run twice nor apply twice.
The run row is claimed with a conditional UPDATE; a sweeper re-sends runs a
dead worker or a lost message left behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from engine.version import ENGINE_VERSION
from exercises import audit
from exercises.coding import grader, queue
from exercises.coding.regrade.rules import (
    GRADER_ERROR,
    NOT_APPLIED,
    SKIPPED,
    applied_summary,
    differs,
    kept_higher,
)
from exercises.coding.signals import submission_scored
from exercises.models import CodingExercise, RegradeChange, RegradeRun, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from engine.report import Report

log = logging.getLogger(__name__)
Status = RegradeRun.Status
ACTIVE = (Submission.Status.QUEUED, Submission.Status.RUNNING)
CHUNK_SECONDS = 5.0


class RegradeRefused(Exception):
    """A regrade that cannot start; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Starting runs -------------------------------------------------------------


def regrade_dry_run_create(
    *,
    actor: User,
    submission_ids: Iterable[int] = (),
    exercise: CodingExercise | None = None,
) -> RegradeRun:
    """A dry run over the chosen submissions, or every submission of `exercise`."""
    submissions = Submission.objects.all()
    if exercise is not None:
        submissions = submissions.filter(exercise=exercise)
    else:
        submissions = submissions.filter(pk__in=list(submission_ids))
    ids = list(submissions.order_by("pk").values_list("pk", flat=True))
    if not ids:
        raise RegradeRefused("Select at least one submission to regrade.")
    return _create(
        created_by=actor, exercise=exercise, submission_ids=ids, dry_run=True
    )


def regrade_apply_create(
    *, actor: User, dry_run: RegradeRun, never_lower: bool = True, reason: str = ""
) -> RegradeRun:
    """Apply a finished dry run: regrade, again, the submissions it found changed.
    `reason` is shown to the students whose score changes."""
    with transaction.atomic():
        locked = RegradeRun.objects.select_for_update().get(pk=dry_run.pk)
        _check_applicable(locked)
        ids = [
            change.submission_id
            for change in locked.changes.order_by("submission_id")
            if change.changed and change.new_verdict not in NOT_APPLIED
        ]
        if not ids:
            raise RegradeRefused("The dry run found no score to change.")
        return _create(
            created_by=actor,
            exercise=locked.exercise,
            submission_ids=ids,
            dry_run=False,
            applies=locked,
            never_lower=never_lower,
            reason=reason.strip()[:300],
        )


def _check_applicable(run: RegradeRun) -> None:
    if not run.dry_run:
        raise RegradeRefused("Only a dry run can be applied.")
    if run.status != Status.DONE:
        raise RegradeRefused("The dry run has not finished yet.")
    if run.applied_by.exclude(status=Status.ERROR).exists():
        raise RegradeRefused("This dry run has already been applied.")


def _create(**fields: Any) -> RegradeRun:
    with transaction.atomic():
        run = RegradeRun.objects.create(total=len(fields["submission_ids"]), **fields)
        REGRADE.send_on_commit(run.pk)
    return run


def regrade_enqueue(*, run_id: int) -> bool:
    """Send the run's task; a broker that is down is logged, and the sweeper
    sends it again later."""
    return REGRADE.send(run_id)


def regrade_resume(*, run: RegradeRun) -> bool:
    """Send a run that stopped (an error, stalled, or a lost message) on its way
    again; a second message for a run in hand finds nothing to claim."""
    resumable = _stalled() | Q(status__in=[Status.ERROR, Status.QUEUED])
    if not RegradeRun.objects.filter(resumable, pk=run.pk).update(
        status=Status.QUEUED, error_message=""
    ):
        return False
    regrade_enqueue(run_id=run.pk)
    return True


# --- Processing ------------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    score: float | None
    verdict: str
    report: Report | None = None


class _OutOfTime(Exception):
    """The task's soft time limit struck; the rest goes to a new task."""


def regrade_process(*, run_id: int, budget: float | None = None) -> bool:
    """Regrade the run's pending submissions for about `budget` seconds (at
    least one); True when the rest was sent on to a new task."""
    run = _claim(run_id)
    if run is None:
        log.info("regrade run %s is not claimable (finished or in hand)", run_id)
        return False
    deadline = time.monotonic() + (chunk_seconds() if budget is None else budget)
    try:
        for index, submission_id in enumerate(_pending_ids(run)):
            if index and time.monotonic() >= deadline:
                return _requeue(run)
            _regrade_one(run, submission_id)
    except (_OutOfTime, queue.OutOfTime):
        return _requeue(run)
    except Exception as exc:
        log.exception("regrade run %s failed", run_id)
        _finish(run, Status.ERROR, f"{type(exc).__name__}: {exc}")
        return False
    _finish(run, Status.DONE)
    return False


def chunk_seconds() -> float:
    """Well inside the task's soft limit, so a chunk ends on its own."""
    return min(CHUNK_SECONDS, settings.GRADING_SOFT_TIME_LIMIT / 3)


def _claim(run_id: int) -> RegradeRun | None:
    runs = RegradeRun.objects.filter(pk=run_id)
    claimable = Q(status=Status.QUEUED) | _stalled()
    if not queue.claim(
        runs.filter(claimable), status=Status.RUNNING, engine_version=ENGINE_VERSION
    ):
        return None
    return RegradeRun.objects.get(pk=run_id)


def _stalled() -> Q:
    """Running, with no change stored within the hard time limit: its worker died."""
    cutoff = queue.stalled_before()
    recent = RegradeChange.objects.filter(run=OuterRef("pk"), created_at__gte=cutoff)
    return Q(status=Status.RUNNING, created_at__lt=cutoff) & ~Q(Exists(recent))


def _pending_ids(run: RegradeRun) -> list[int]:
    done = RegradeChange.objects.filter(run=run).values("submission_id")
    return list(
        Submission.objects.filter(pk__in=run.submission_ids)
        .exclude(pk__in=done)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _requeue(run: RegradeRun) -> bool:
    RegradeRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
        status=Status.QUEUED
    )
    regrade_enqueue(run_id=run.pk)
    return True


def _regrade_one(run: RegradeRun, submission_id: int) -> None:
    submission = Submission.objects.select_related("exercise").get(pk=submission_id)
    if submission.status in ACTIVE:
        _store(run, submission, Graded(None, SKIPPED))
        return
    try:
        report = grader.grade(
            submission.exercise, submission.source, seed=submission.pk
        )
    except queue.OutOfTime as exc:
        _store(run, submission, Graded(None, GRADER_ERROR))
        raise _OutOfTime from exc
    except Exception as exc:  # noqa: BLE001 - recorded as a grader fault; the run goes on
        _store(run, submission, Graded(None, GRADER_ERROR))
        log.warning("regrading submission %s raised %r", submission_id, exc)
        return
    _store(run, submission, Graded(report.score, report.verdict, report))


def _store(run: RegradeRun, submission: Submission, new: Graded) -> None:
    """Record the change, apply it for a real run, count it: all or nothing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                change = RegradeChange.objects.create(
                    run=run,
                    submission=submission,
                    old_score=submission.score,
                    new_score=new.score,
                    old_verdict=_old_verdict(submission),
                    new_verdict=new.verdict[:30],
                    old_engine_version=submission.engine_version,
                )
        except IntegrityError:
            return  # another delivery of this run got there first
        if not run.dry_run and new.report is not None and _applies(run, change):
            _apply(submission, new.report)
            RegradeChange.objects.filter(pk=change.pk).update(applied=True)
            transaction.on_commit(
                lambda: submission_scored.send(
                    sender=Submission, submission_id=submission.pk
                )
            )
        RegradeRun.objects.filter(pk=run.pk).update(done=F("done") + 1)


def _old_verdict(submission: Submission) -> str:
    verdict = (submission.report or {}).get("verdict") or submission.status
    return str(verdict)[:30]


def _applies(run: RegradeRun, change: RegradeChange) -> bool:
    if not differs(change) or change.new_verdict in NOT_APPLIED:
        return False
    return not (run.never_lower and kept_higher(change))


def _apply(submission: Submission, report: Report) -> None:
    # Only a finished submission: one being graded live keeps its own result.
    Submission.objects.filter(
        pk=submission.pk, status__in=[Submission.Status.DONE, Submission.Status.ERROR]
    ).update(
        status=Submission.Status.DONE,
        score=report.score,
        report=report.to_dict(),
        engine_version=report.engine_version,
        error_message="",
    )


def _finish(run: RegradeRun, status: str, message: str = "") -> None:
    # One transaction: whoever sees an applied run finished also sees its
    # audit entry, and a second delivery finds nothing left to finish.
    with transaction.atomic():
        finished = RegradeRun.objects.filter(pk=run.pk, status=Status.RUNNING).update(
            status=status, finished_at=timezone.now(), error_message=message[:2000]
        )
        if finished and not run.dry_run:
            _audit_applied(RegradeRun.objects.get(pk=run.pk))


# --- The audit entry ---------------------------------------------------------------


def _audit_applied(run: RegradeRun) -> None:
    rows, counts = applied_summary(run)
    audit.record(
        run.created_by,
        "regrade.apply",
        target=run,
        summary=(
            f"Regraded {counts['regraded']} submissions with engine "
            f"{run.engine_version}: {counts['applied']} scores changed, "
            f"{counts['kept_higher']} kept (never lower), {counts['skipped']} skipped"
            + (f"; stopped: {run.error_message}" if run.status == Status.ERROR else "")
        ),
        engine_version=run.engine_version,
        never_lower=run.never_lower,
        dry_run=run.applies_id,
        status=run.status,
        counts=counts,
        changes=rows,
    )


# --- Sweeping ------------------------------------------------------------------------


def regrades_sweep() -> int:
    """Send again the runs a dead worker (running, silent past the hard time
    limit) or a lost message left behind (queued past GRADING_REQUEUE_AFTER:
    as many of the oldest as the broker is missing messages for)."""
    lost = queue.lost_before()
    latest = (
        RegradeChange.objects.filter(run=OuterRef("pk"))
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    runs = RegradeRun.objects.annotate(
        last_activity=Coalesce(Subquery(latest), F("created_at"))
    )
    stalled = list(runs.filter(_stalled()).values_list("pk", flat=True))
    RegradeRun.objects.filter(pk__in=stalled, status=Status.RUNNING).update(
        status=Status.QUEUED
    )
    # A queued run waiting behind a backlog is not lost (queue.lost_count).
    missing = queue.lost_count(
        REGRADE,
        RegradeRun.objects.filter(status=Status.QUEUED).exclude(pk__in=stalled).count(),
    )
    waiting = runs.filter(status=Status.QUEUED, last_activity__lt=lost).order_by(
        "last_activity", "pk"
    )[:missing]
    ids = sorted(set(stalled) | set(waiting.values_list("pk", flat=True)))
    REGRADE.resend(ids)
    return len(ids)


# --- Tasks ---------------------------------------------------------------------


@shared_task(name="exercises.tasks.regrade_run", acks_late=True)
def regrade_run(run_id: int) -> bool:
    """A few seconds of a regrade run; it sends itself again for the rest."""
    return regrade_process(run_id=run_id)


@shared_task(name="exercises.tasks.sweep_regrades")
def sweep_regrades() -> int:
    return regrades_sweep()


REGRADE = queue.Job(
    regrade_run,
    "regrade run",
    queue.background_priority,
    lambda: RegradeRun.objects.filter(status=Status.QUEUED).count(),
)
