"""Validating an instructor's own exercise in the sandbox, as a job on the
grading queue (`exercises.coding.queue`).

An own exercise has no engine spec: the instructor writes a reference
solution and `cases(seed)`. Neither ever runs in the web or worker process.
Validation runs both in the sandbox (`steps`), stores the cases with the
reference's outputs (`generated_cases`), grades the reference and the starter
code through the students' grading path, and records a report.

The job is idempotent like a submission: the worker claims the exercise (a
token in the report) and stores its result only while it still holds the
claim, so an edit made meanwhile (which queues a new validation) is never
overwritten by the older run.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from exercises import audit
from exercises.coding import queue
from exercises.coding.own_exercises.publishing import PublishRefused, exercise_publish
from exercises.coding.own_exercises.steps import ValidationOutcome, validation_run
from exercises.models import CodingExercise

if TYPE_CHECKING:
    from engine.grader import Runner

log = logging.getLogger(__name__)
Validation = CodingExercise.Validation


def request_validation(
    *, exercise: CodingExercise, actor: Any, publish_when_passed: bool = False
) -> None:
    """Queue a validation: the task goes to the grading queue once the
    transaction commits. `publish_when_passed`: publish it if it passes (an
    edit that took a published exercise offline, a bank file loaded)."""
    if not exercise.is_own:
        raise ValueError(f"{exercise.slug} uses an engine spec: nothing to validate")
    requested = {
        "requested_by": actor.get_username() if actor is not None else "system",
        "requested_by_id": getattr(actor, "pk", None),
        "requested_at": timezone.now().isoformat(),
        "publish_when_passed": publish_when_passed,
    }
    with transaction.atomic():
        CodingExercise.objects.filter(pk=exercise.pk).update(
            validation_status=Validation.QUEUED, validation_report=requested
        )
        audit.record(
            actor,
            "validation_requested",
            exercise,
            summary="Validation in the sandbox requested",
            source_hash=exercise.source_hash(),
            publish_when_passed=publish_when_passed,
        )
        pk = exercise.pk
        transaction.on_commit(lambda: validation_enqueue(exercise_id=pk))
    exercise.validation_status = Validation.QUEUED
    exercise.validation_report = requested


def validation_enqueue(*, exercise_id: int) -> bool:
    """Send the task; a broker that is down is logged, not raised (the
    exercise stays queued and the admin offers to validate again)."""
    return VALIDATION.send(exercise_id)


def validations_sweep(*, now: datetime | None = None) -> int:
    """Send again the validations whose worker died (running past the hard
    time limit) or whose message was lost (queued for longer than
    GRADING_REQUEUE_AFTER, as many of the oldest as the broker is missing
    messages for). The claim makes a second delivery harmless. Returns how
    many were sent."""
    queued_before, running_before = queue.lost_before(now), queue.stalled_before(now)
    stalled: list[int] = []
    lost: list[tuple[datetime, int]] = []  # (requested at, pk)
    queued = 0
    stuck = CodingExercise.objects.filter(
        validation_status__in=(Validation.QUEUED, Validation.RUNNING)
    ).only("pk", "validation_status", "validation_report")
    for exercise in stuck:
        report = exercise.validation_report or {}
        queued += exercise.validation_status == Validation.QUEUED
        if exercise.validation_status == Validation.QUEUED:
            since, limit = report.get("requested_at"), queued_before
        else:
            since, limit = report.get("claimed_at"), running_before
        at = parse_datetime(since) if isinstance(since, str) else None
        if at is not None and at >= limit:
            continue
        if exercise.validation_status == Validation.QUEUED:
            lost.append((at or limit, exercise.pk))  # no time: after the dated
        else:
            stalled.append(exercise.pk)
    # A queued validation waiting behind a backlog is not lost (queue.lost_count).
    oldest = [pk for _, pk in sorted(lost)[: queue.lost_count(VALIDATION, queued)]]
    return VALIDATION.resend(sorted(stalled + oldest))


# --- The job ---------------------------------------------------------------------


def exercise_validate(*, exercise_id: int, runner: Runner | None = None) -> str | None:
    """Run a queued validation and store it; the status reached, or None when
    there is nothing to do (done already, or the exercise is gone)."""
    token = uuid.uuid4().hex
    exercise = _claim(exercise_id, token)
    if exercise is None:
        log.info("validation of exercise %s is not claimable", exercise_id)
        return None
    requested = dict(exercise.validation_report)
    outcome = _outcome_or_failure(exercise, runner)
    now = timezone.now()
    stored = CodingExercise.objects.filter(
        pk=exercise_id,
        validation_status=Validation.RUNNING,
        validation_report__claim=token,
    ).update(
        validation_status=outcome.report["status"],
        validation_report={
            **requested,
            **outcome.report,
            "finished_at": now.isoformat(),
        },
        validated_at=now,
        validated_source_hash=outcome.source_hash,
        generated_cases=outcome.generated_cases,
    )
    if not stored:
        log.info("validation of exercise %s was superseded", exercise_id)
        return None
    _record_result(exercise, outcome, requested)
    return str(outcome.report["status"])


def _claim(exercise_id: int, token: str) -> CodingExercise | None:
    exercise = CodingExercise.objects.filter(pk=exercise_id).first()
    active = (Validation.QUEUED, Validation.RUNNING)
    if exercise is None or exercise.validation_status not in active:
        return None
    report = {
        **exercise.validation_report,
        "claim": token,
        "claimed_at": timezone.now().isoformat(),
    }
    claimed = queue.claim(
        CodingExercise.objects.filter(pk=exercise_id, validation_status__in=active),
        validation_status=Validation.RUNNING,
        validation_report=report,
    )
    if not claimed:
        return None
    exercise.validation_status, exercise.validation_report = Validation.RUNNING, report
    return exercise


def _outcome_or_failure(
    exercise: CodingExercise, runner: Runner | None
) -> ValidationOutcome:
    if not exercise.is_own:
        return _failure(exercise, "The exercise uses an engine spec now.")
    try:
        return validation_run(exercise, runner=runner)
    except queue.OutOfTime:
        return _failure(
            exercise,
            "Validation took longer than the server allows; make the cases "
            "smaller or the reference faster, then validate again.",
        )
    except Exception as exc:
        log.exception("validating exercise %s failed", exercise.slug)
        return _failure(
            exercise,
            f"The sandbox failed while validating (not a fault of your code): {exc}. "
            "Validate again; tell the site's administrator if it repeats.",
        )


def _failure(exercise: CodingExercise, message: str) -> ValidationOutcome:
    step = {"name": "Validation", "ok": False, "message": message, "ms": 0.0}
    report = {"status": Validation.FAILED, "summary": message, "steps": [step]}
    return ValidationOutcome(False, report, [], exercise.source_hash())


def _record_result(
    exercise: CodingExercise, outcome: ValidationOutcome, requested: dict[str, Any]
) -> None:
    status = outcome.report["status"]
    audit.record(
        None,
        f"validation_{status}",
        exercise,
        summary=outcome.report["summary"][:500],
        source_hash=outcome.source_hash,
        duration_ms=outcome.report.get("duration_ms"),
    )
    if not (outcome.passed and requested.get("publish_when_passed")):
        return
    fresh = CodingExercise.objects.get(pk=exercise.pk)
    requester = requested.get("requested_by_id")
    actor = (
        get_user_model().objects.filter(pk=requester).first()
        if isinstance(requester, int)
        else None
    )
    try:
        exercise_publish(
            exercise=fresh,
            actor=actor,
            published=True,
            summary="Published automatically: the validation passed",
        )
    except PublishRefused as exc:
        log.info("not publishing %s: %s", exercise.slug, exc.message)


# --- Tasks ---------------------------------------------------------------------


@shared_task(name="exercises.tasks.validate_exercise", acks_late=True)
def validate_own_exercise(exercise_id: int) -> str | None:
    """Validate an instructor's own exercise in the sandbox (grading queue)."""
    return exercise_validate(exercise_id=exercise_id)


@shared_task(name="exercises.tasks.sweep_validations")
def sweep_validations() -> int:
    return validations_sweep()


VALIDATION = queue.Job(
    validate_own_exercise,
    "validation of exercise",
    waiting=lambda: CodingExercise.objects.filter(
        validation_status=Validation.QUEUED
    ).count(),
)
