"""Runs: the student's code on the worked examples or on their own input,
ungraded, through the sandbox, on the "runs" queue (`exercises.coding.queue`:
the same claim, sweep and retry as every job, so that a run never delays a
verdict on the grading queue).

A run is not an attempt: it creates no submission, moves no progress,
mastery, review card or grade, and has a budget of its own
(CODE_RUNS_PER_5_MINUTES and CODE_RUNS_PER_HOUR per student). The job carries
only the worked examples (visible cases the feedback policy shows in full) or
the student's own input: never a hidden case. On own input the reference's
output is shown only to a student who has passed the exercise (and to
instructors), never for an instructor's own exercise (its reference runs only
when it is validated), and only for inputs near the examples' sizes.
"""

from __future__ import annotations

import copy
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from engine.run_examples import run_examples
from engine.specs.base import Case
from exercises.coding import queue, run_inputs
from exercises.coding.grader import NotGradable, limits_for
from exercises.coding.run_values import InputError
from exercises.coding.worked_examples import WorkedExample, examples_with_spec
from exercises.models import CodeRun, CodingExercise, Submission
from exercises.roles import is_instructor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from engine.grader import Runner
    from engine.specs import ExerciseSpec

log = logging.getLogger(__name__)
Status = CodeRun.Status
# A run is for the moment it was asked: one still queued after this long is
# dropped (the student has moved on), not run late.
RUN_EXPIRES_AFTER = timedelta(minutes=10)
OWN_CASE = "your input"


class RunRejected(Exception):
    """A run that cannot be accepted: the message, the HTTP status and, for
    the rate limit, the seconds until a run is accepted again."""

    def __init__(self, message: str, status: int, retry_after: int = 0) -> None:
        super().__init__(message)
        self.message, self.status, self.retry_after = message, status, retry_after


def run_create(
    *,
    user: User,
    exercise: CodingExercise,
    source: str,
    on: str,
    fields: Mapping[str, str] | None = None,
) -> CodeRun:
    """Check the code and the input, keep within the budget, store the run
    and send it to the runs queue once committed. A newer run replaces the
    student's runs still waiting in the queue."""
    _validate_source(source)
    if on not in CodeRun.On.values:
        raise RunRejected("Choose what to run on: the examples or your own input.", 400)
    examples = _examples(exercise)
    inputs = None
    if on == CodeRun.On.OWN:
        arguments = run_inputs.arguments_for(examples)
        try:
            inputs = run_inputs.stored(run_inputs.parse_inputs(arguments, fields or {}))
        except InputError as exc:
            raise RunRejected(exc.message, 400) from None
    with transaction.atomic():
        _lock(user)
        _check_budget(user, timezone.now())
        now = timezone.now()
        CodeRun.objects.filter(user=user, status=Status.QUEUED).update(
            status=Status.ERROR,
            error_message="Replaced by a newer run.",
            finished_at=now,
        )
        run = CodeRun.objects.create(
            user=user, exercise=exercise, on=on, source=source, inputs=inputs
        )
        transaction.on_commit(lambda: run_enqueue(run_id=run.pk))
    return run


def _examples(exercise: CodingExercise) -> list[WorkedExample]:
    try:
        examples = examples_with_spec(exercise)[1]
    except NotGradable:
        examples = []
    if not examples:
        raise RunRejected(
            "This exercise shows no worked examples, so there is nothing to run "
            "your code on yet. Submit it to have it graded.",
            409,
        )
    return examples


def _validate_source(source: str) -> None:
    if not source.strip():
        raise RunRejected("Your code is empty: write the function, then run it.", 400)
    size = len(source.encode("utf-8"))
    limit = settings.GRADING_MAX_SOURCE_BYTES
    if size > limit:
        raise RunRejected(f"Your code is {size:,} bytes; the limit is {limit:,}.", 413)
    if "\x00" in source:
        raise RunRejected("Your code contains a NUL character.", 400)


def _lock(user: User) -> None:
    """Serialise one student's run requests (PostgreSQL: a row lock), so that
    two at once cannot both pass the budget check."""
    model = get_user_model()
    list(model.objects.select_for_update().filter(pk=user.pk).values_list("pk"))


def _check_budget(user: User, now: datetime) -> None:
    """At most CODE_RUNS_PER_5_MINUTES runs in any 5 minutes and
    CODE_RUNS_PER_HOUR in any hour; the refusal says when to try again."""
    for window, limit, words in (
        (timedelta(minutes=5), settings.CODE_RUNS_PER_5_MINUTES, "5 minutes"),
        (timedelta(hours=1), settings.CODE_RUNS_PER_HOUR, "hour"),
    ):
        recent = list(
            CodeRun.objects.filter(user=user, created_at__gt=now - window)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:limit]
        )
        if len(recent) < limit:
            continue
        # A run is accepted again when the oldest of these leaves the window.
        wait = max(1, math.ceil((recent[-1] + window - now).total_seconds()))
        raise RunRejected(
            f"You have run your code {limit} times in the last {words}, the most "
            f"allowed. Try again in {_duration(wait)}. Submitting for grading has "
            "its own limit and is not affected.",
            429,
            retry_after=wait,
        )


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def run_enqueue(*, run_id: int) -> bool:
    """Send the run's task; a broker that is down is logged, and the sweeper
    sends the run again."""
    CodeRun.objects.filter(pk=run_id).update(enqueued_at=timezone.now())
    return RUNS.send(run_id)


def run_get_for_user(*, user: User, run_id: int) -> CodeRun:
    """One of the student's own runs (DoesNotExist for anyone else's)."""
    return CodeRun.objects.select_related("exercise").get(pk=run_id, user=user)


# --- The worker's side -----------------------------------------------------------


def run_claim(*, run_id: int, worker_id: str) -> CodeRun | None:
    """Claim a run (queued, or running past the hard time limit)."""
    now = timezone.now()
    claimed = queue.claim(
        CodeRun.objects.filter(
            pk=run_id, attempts__lt=settings.GRADING_MAX_ATTEMPTS
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
    return CodeRun.objects.select_related("exercise", "user").get(pk=run_id)


def run_execute(*, run_id: int, worker_id: str, runner: Runner | None = None) -> None:
    """Run one claimed run and store what came back; safe to call twice."""
    run = run_claim(run_id=run_id, worker_id=worker_id)
    if run is None:
        log.info("run %s is not claimable (done, replaced, or held)", run_id)
        return
    result, problem = _attempt(run, runner)
    if result is None:
        _finish_error(run, worker_id, problem)
        return
    CodeRun.objects.filter(
        pk=run.pk, status=Status.RUNNING, worker_id=worker_id
    ).update(
        status=Status.DONE,
        result=result,
        matched=result.get("matched"),
        total=result.get("total"),
        duration_ms=result.get("duration_ms"),
        error_message="",
        finished_at=timezone.now(),
    )


def _attempt(run: CodeRun, runner: Runner | None) -> tuple[dict[str, Any] | None, str]:
    """(the stored result, "") or (None, what to tell the student)."""
    try:
        return run_result(run, runner=runner), ""
    except NotGradable:
        return None, "This exercise cannot be run now: its grader is missing."
    except queue.OutOfTime:
        return None, "The run took longer than the server allows; try again."
    except Exception:
        log.exception("run %s failed", run.pk)
        return None, "The run hit an internal error; please run it again."


def run_result(run: CodeRun, *, runner: Runner | None = None) -> dict[str, Any]:
    """The run's report as stored: RunReport.to_dict, and on own input a note
    on the reference's output (`reference`)."""
    spec, examples = examples_with_spec(run.exercise)
    limits = limits_for(run.exercise, spec)
    if run.on == CodeRun.On.EXAMPLES:
        if not examples:
            raise NotGradable("the exercise has no worked examples now")
        report = run_examples(
            spec,
            run.source,
            [example.case for example in examples],
            [example.expected for example in examples],
            runner=runner,
            limits=limits,
        )
        return report.to_dict()
    values = run_inputs.from_storage(run.inputs or [])
    expected, note = _reference_on_own_input(run, spec, examples, values)
    case = Case(OWN_CASE, values, label="your own input")
    report = run_examples(
        spec, run.source, [case], expected, runner=runner, limits=limits
    )
    return {**report.to_dict(), "reference": note}


def _reference_on_own_input(
    run: CodeRun,
    spec: ExerciseSpec,
    examples: list[WorkedExample],
    values: dict[str, Any],
) -> tuple[list[Any] | None, str]:
    """([the reference's output], "") when the student may see it, else
    (None, why not)."""
    if run.exercise.is_own:
        return None, (
            "An instructor's own exercise has its reference run only when it is "
            "validated, so its output on your input cannot be shown."
        )
    if not (is_instructor(run.user) or _has_passed(run)):
        return None, (
            "The reference's output on your own input is shown once you have "
            "passed this exercise. Until then, compare with the worked examples "
            "and check the laws below."
        )
    if run_inputs.beyond_examples(run_inputs.arguments_for(examples), values):
        return None, (
            f"The reference's output is computed only for inputs at most "
            f"{run_inputs.ENVELOPE} times the size of the worked examples'."
        )
    try:
        return [spec.reference(**copy.deepcopy(values))], ""
    except Exception as exc:  # noqa: BLE001 - the student's input, not our fault
        return None, (
            f"The reference cannot take this input ({type(exc).__name__}): check "
            "that the arguments fit together as they do in the examples."
        )


def _has_passed(run: CodeRun) -> bool:
    return Submission.objects.filter(
        user=run.user,
        exercise=run.exercise,
        status=Submission.Status.DONE,
        score__gte=1.0,
    ).exists()


def _finish_error(run: CodeRun, worker_id: str, message: str) -> None:
    CodeRun.objects.filter(
        pk=run.pk, status=Status.RUNNING, worker_id=worker_id
    ).update(status=Status.ERROR, error_message=message, finished_at=timezone.now())


@dataclass(frozen=True)
class SweepSummary:
    requeued: int
    failed: int
    expired: int


def runs_sweep(now: datetime | None = None) -> SweepSummary:
    """Drop runs queued too long ago; end those that used up their claims;
    send again the ones a dead worker or a lost message left behind."""
    now = now or timezone.now()
    stale = queue.stalled_before(now)
    expired = CodeRun.objects.filter(
        status=Status.QUEUED, created_at__lt=now - RUN_EXPIRES_AFTER
    ).update(
        status=Status.ERROR,
        finished_at=now,
        error_message="This run waited too long for a free sandbox; run it again.",
    )
    failed = CodeRun.objects.filter(
        Q(status=Status.RUNNING, started_at__lt=stale) | Q(status=Status.QUEUED),
        attempts__gte=settings.GRADING_MAX_ATTEMPTS,
    ).update(
        status=Status.ERROR,
        finished_at=now,
        error_message="The run was interrupted several times; run it again.",
    )
    CodeRun.objects.filter(status=Status.RUNNING, started_at__lt=stale).update(
        status=Status.QUEUED, enqueued_at=None
    )
    ids = queue.lost_rows(CodeRun.objects.filter(status=Status.QUEUED), RUNS, now)
    for run_id in ids:
        run_enqueue(run_id=run_id)
    return SweepSummary(requeued=len(ids), failed=failed, expired=expired)


# --- Tasks -------------------------------------------------------------------------


@shared_task(bind=True, name="exercises.tasks.run_code", acks_late=True)
def run_code(self: Task, run_id: int) -> None:
    worker_id = f"{self.request.hostname}:{os.getpid()}:{self.request.id}"
    run_execute(run_id=run_id, worker_id=worker_id)


@shared_task(name="exercises.tasks.sweep_runs")
def sweep_runs() -> dict[str, int]:
    summary = runs_sweep()
    return {
        "requeued": summary.requeued,
        "failed": summary.failed,
        "expired": summary.expired,
    }


RUNS = queue.Job(run_code, "run", waiting=queue.sent_and_queued(CodeRun))
