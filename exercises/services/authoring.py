"""Write paths for instructors' own coding exercises: validating the reference
and the case generator in the sandbox, and publishing.

An own exercise has no engine spec: the instructor writes a reference
solution and `cases(seed)`. Neither ever runs in the web or worker process.
Validation runs both in the sandbox, stores the cases with the reference's
outputs (`generated_cases`), grades the reference and the starter code
through the students' grading path, and records a report. Publishing needs a
passed validation of the code as it is now (`publish_problem`): the model's
`clean`, the admin and `exercise_publish` all ask it.

Validation is a Celery task on the grading queue, like a submission, and is
idempotent the same way: the worker claims the exercise (a token in the
report) and stores its result only while it still holds the claim, so an
edit made meanwhile (which queues a new validation) is never overwritten by
the older run.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from exercises import audit
from exercises.models import CodingExercise
from exercises.services.validating import (
    ValidationOutcome,
    source_hash,
    validation_run,
)

if TYPE_CHECKING:
    from engine.grader import Runner

log = logging.getLogger(__name__)
Validation = CodingExercise.Validation


class PublishRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_own(exercise: CodingExercise) -> bool:
    return not exercise.engine_spec


def publish_problem(exercise: CodingExercise) -> str | None:
    """Why the exercise may not be published now, or None."""
    if not is_own(exercise):
        return None
    if exercise.validation_status != Validation.PASSED:
        return (
            "An own exercise can be published once its validation in the sandbox "
            f"has passed (it is {exercise.get_validation_status_display().lower()})."
        )
    if exercise.validated_source_hash != source_hash(exercise):
        return (
            "The code changed since the last validation: publish it once the new "
            "validation has passed."
        )
    return None


def exercise_publish(
    *, exercise: CodingExercise, actor: Any, published: bool, summary: str = ""
) -> bool:
    """Publish or unpublish; True if it changed. Raises PublishRefused."""
    problem = publish_problem(exercise) if published else None
    if problem:
        raise PublishRefused(problem)
    if exercise.is_published == published:
        return False
    exercise.is_published = published
    exercise.save(update_fields=["is_published", "updated_at"])
    action = "publish" if published else "unpublish"
    default = f"{action.capitalize()}ed the coding exercise"
    audit.record(actor, action, exercise, summary=summary or default)
    return True


# ------------------------------------------------------------------ requesting


def request_validation(
    *, exercise: CodingExercise, actor: Any, publish_when_passed: bool = False
) -> None:
    """Queue a validation: the task goes to the grading queue once the
    transaction commits. `publish_when_passed`: publish it if it passes (an
    edit that took a published exercise offline, a bank file loaded)."""
    if not is_own(exercise):
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
            source_hash=source_hash(exercise),
            publish_when_passed=publish_when_passed,
        )
        pk = exercise.pk
        transaction.on_commit(lambda: validation_enqueue(exercise_id=pk))
    exercise.validation_status = Validation.QUEUED
    exercise.validation_report = requested


def validation_enqueue(*, exercise_id: int) -> bool:
    """Send the task; a broker that is down is logged, not raised (the
    exercise stays queued and the admin offers to validate again)."""
    from exercises.tasks import validate_exercise

    try:
        validate_exercise.apply_async(args=(exercise_id,), retry=False)
    except Exception:  # noqa: BLE001 - any broker failure
        log.warning("could not enqueue the validation of exercise %s", exercise_id)
        return False
    return True


def validations_sweep(*, now: datetime | None = None) -> int:
    """Send again the validations whose message was lost (a broker that was
    down) or whose worker died: queued for longer than GRADING_REQUEUE_AFTER,
    or running past the hard time limit. The claim makes a second delivery
    harmless. Returns how many were sent."""
    now = now or timezone.now()
    queued_before = now - timedelta(seconds=settings.GRADING_REQUEUE_AFTER)
    running_before = now - timedelta(seconds=settings.GRADING_HARD_TIME_LIMIT)
    sent = 0
    stuck = CodingExercise.objects.filter(
        validation_status__in=(Validation.QUEUED, Validation.RUNNING)
    ).only("pk", "validation_status", "validation_report")
    for exercise in stuck:
        report = exercise.validation_report or {}
        if exercise.validation_status == Validation.QUEUED:
            since, limit = report.get("requested_at"), queued_before
        else:
            since, limit = report.get("claimed_at"), running_before
        at = parse_datetime(since) if isinstance(since, str) else None
        if at is None or at < limit:
            sent += validation_enqueue(exercise_id=exercise.pk)
    return sent


# ------------------------------------------------------------------ the task


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
    claimed = CodingExercise.objects.filter(
        pk=exercise_id, validation_status__in=active
    ).update(validation_status=Validation.RUNNING, validation_report=report)
    if not claimed:
        return None
    exercise.validation_status, exercise.validation_report = Validation.RUNNING, report
    return exercise


def _outcome_or_failure(
    exercise: CodingExercise, runner: Runner | None
) -> ValidationOutcome:
    if not is_own(exercise):
        return _failure(exercise, "The exercise uses an engine spec now.")
    try:
        return validation_run(exercise, runner=runner)
    except Exception as exc:
        if type(exc).__name__ == "SoftTimeLimitExceeded":
            return _failure(
                exercise,
                "Validation took longer than the server allows; make the cases "
                "smaller or the reference faster, then validate again.",
            )
        log.exception("validating exercise %s failed", exercise.slug)
        return _failure(
            exercise,
            f"The sandbox failed while validating (not a fault of your code): {exc}. "
            "Validate again; tell the site's administrator if it repeats.",
        )


def _failure(exercise: CodingExercise, message: str) -> ValidationOutcome:
    step = {"name": "Validation", "ok": False, "message": message, "ms": 0.0}
    report = {"status": Validation.FAILED, "summary": message, "steps": [step]}
    return ValidationOutcome(False, report, [], source_hash(exercise))


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
