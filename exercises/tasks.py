"""Celery tasks: thin interfaces that take an id and call a service."""

from __future__ import annotations

import os

from celery import Task, shared_task

from exercises import services


@shared_task(bind=True, name="exercises.tasks.grade_submission", acks_late=True)
def grade_submission(self: Task, submission_id: int) -> None:
    worker_id = f"{self.request.hostname}:{os.getpid()}:{self.request.id}"
    services.submission_grade(submission_id=submission_id, worker_id=worker_id)


@shared_task(name="exercises.tasks.sweep_submissions")
def sweep_submissions() -> dict[str, int]:
    summary = services.submissions_sweep()
    return {"requeued": summary.requeued, "failed": summary.failed}


@shared_task(name="exercises.tasks.regrade_run", acks_late=True)
def regrade_run(run_id: int) -> bool:
    """A few seconds of a regrade run; it sends itself again for the rest."""
    from exercises.services.regrade import regrade_process

    return regrade_process(run_id=run_id)


@shared_task(name="exercises.tasks.sweep_regrades")
def sweep_regrades() -> int:
    from exercises.services.regrade import regrades_sweep

    return regrades_sweep()


@shared_task(name="exercises.tasks.validate_exercise", acks_late=True)
def validate_exercise(exercise_id: int) -> str | None:
    """Validate an instructor's own exercise in the sandbox (grading queue)."""
    from exercises.services.authoring import exercise_validate

    return exercise_validate(exercise_id=exercise_id)


@shared_task(name="exercises.tasks.sweep_validations")
def sweep_validations() -> int:
    from exercises.services.authoring import validations_sweep

    return validations_sweep()
