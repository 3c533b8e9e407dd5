"""A submission's status and report as one viewer may see them: the report
cut to the exercise's feedback policy, the first failing case picked out, and
the line that tells a student where their grading is (queued, running case
k of n, comparing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from exercises.coding import hints
from exercises.coding.report import policy
from exercises.models import Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def report_for_user(
    *, submission: Submission, user: User, now: datetime | None = None
) -> dict[str, Any] | None:
    """The submission's report as `user` may see it: staff see all of it, the
    student what the exercise's feedback policy shows at `now` (a named
    mistake's explanation being level 2 of its hint ladder)."""
    if user.is_staff:
        return policy.full_report(submission.report)
    view = policy.report_for_student(
        submission.report, submission.exercise, now or timezone.now()
    )
    return hints.paced_report(view, submission.exercise)


def queue_position(*, submission: Submission) -> int:
    """How many submissions are ahead of this one in the grading queue."""
    if submission.status != Submission.Status.QUEUED:
        return 0
    return Submission.objects.filter(
        status=Submission.Status.QUEUED, created_at__lt=submission.created_at
    ).count()


@dataclass(frozen=True)
class Progress:
    """What the status line says while a submission waits or runs; `maximum`
    is 0 when the bar cannot measure anything yet."""

    label: str
    value: int = 0
    maximum: int = 0


def grading_progress(submission: Submission, queue_position: int) -> Progress:
    if submission.status == Submission.Status.QUEUED:
        if queue_position:
            ahead = f"{queue_position} submission{'s' if queue_position > 1 else ''}"
            return Progress(f"Queued: {ahead} ahead of yours")
        return Progress("Queued: yours is next")
    if submission.status != Submission.Status.RUNNING:
        return Progress("")
    done, total = submission.cases_done, submission.cases_total
    if submission.phase == "running" and total:
        current = min(done + 1, total)
        return Progress(f"Running case {current} of {total}", done, total)
    if submission.phase == "comparing":
        return Progress("Comparing your outputs with the reference", total, total)
    return Progress("Starting: preparing the sandbox")


def status_context(*, submission: Submission, user: User) -> dict[str, object]:
    """What the submission page and its polled status fragment show."""
    position = queue_position(submission=submission)
    report = report_for_user(submission=submission, user=user)
    featured, others = policy.first_failure(report["cases"] if report else [])
    return {
        "submission": submission,
        "report": report,
        "featured": featured,
        "other_cases": others,
        "queue_position": position,
        "progress": grading_progress(submission, position),
        "hint_ladder": hint_ladder(submission=submission, user=user),
    }


def status_json(*, submission: Submission, user: User) -> dict[str, object]:
    """The same status for a JSON client."""
    report = report_for_user(submission=submission, user=user)
    position = queue_position(submission=submission)
    return {
        "id": submission.pk,
        "status": submission.status,
        "phase": submission.phase if submission.is_active else "",
        "cases_done": submission.cases_done,
        "cases_total": submission.cases_total,
        "progress": grading_progress(submission, position).label,
        "score": submission.score,
        "queue_position": position,
        "verdict": report.get("verdict") if report else None,
        "message": (report or {}).get("message") or submission.error_message,
        "passed": report.get("passed") if report else None,
        "total": report.get("total") if report else None,
        "report": report,
        "url": submission.get_absolute_url(),
        "hints": hints_json(hint_ladder(submission=submission, user=user)),
    }


def student_open_cases(
    submission: Submission, now: datetime | None = None
) -> frozenset[str]:
    """The visible cases the student who submitted sees in full at `now`:
    the only cases a hint may quote (the feedback policy decides)."""
    view = policy.report_for_student(
        submission.report, submission.exercise, now or timezone.now()
    )
    return frozenset(
        str(case.get("name", ""))
        for case in (view or {}).get("cases") or []
        if case.get("detail") == "all" and not case.get("hidden")
    )


def hint_ladder(
    *, submission: Submission, user: User, now: datetime | None = None
) -> hints.LadderView | None:
    """The hint ladder under the report (exercises.coding.hints), quoting
    what the student sees, whoever views it."""
    if submission.status != Submission.Status.DONE or not submission.report:
        return None
    now = now or timezone.now()
    return hints.ladder_view(
        submission=submission,
        user=user,
        open_cases=student_open_cases(submission, now),
        now=now,
    )


def hints_json(view: hints.LadderView | None) -> dict[str, object] | None:
    """The ladder for a JSON client: each level's text once it is open."""
    if view is None:
        return None
    return {
        "mistake_id": view.mistake_id,
        "title": view.title,
        "levels": [
            {
                "level": level.number,
                "name": level.name,
                "text": level.text,
                "revealed": level.revealed_at is not None,
                "next": level.is_next,
                "waiting": level.waiting,
            }
            for level in view.levels
        ],
    }
