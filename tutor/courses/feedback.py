"""What a student sees of the grading report of a submission made for an
assignment: the hidden cases follow the assignment (after the student's own
due date, or at once), the visible ones the exercise's own policy.

The exercise's report policy (exercises/coding/report/policy.py) is given an
adapter with the assignment's answers; nothing in exercises/ changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from exercises.coding.report import policy
from exercises.coding.report.presentation import grading_progress, queue_position
from exercises.models import CodingExercise, Submission
from tutor.courses.deadlines import window_for
from tutor.courses.models import Assignment, Work


@dataclass(frozen=True)
class AssignmentFeedback:
    """A FeedbackPolicy: the exercise's levels for visible cases, the
    assignment's for hidden ones (an override of a hidden case on the exercise
    does not apply: the assignment decides), and the student's due date."""

    exercise: CodingExercise
    hidden_cases: frozenset[str]
    hidden_level: str
    due: datetime

    @property
    def case_feedback(self) -> str:
        return self.exercise.case_feedback

    @property
    def hidden_case_feedback(self) -> str:
        return self.hidden_level

    @property
    def case_overrides(self) -> Any:
        overrides = self.exercise.case_overrides
        if not isinstance(overrides, dict):
            return {}
        return {
            name: level
            for name, level in overrides.items()
            if name not in self.hidden_cases
        }

    @property
    def due_at(self) -> datetime | None:
        return self.due


def feedback_policy(
    *, assignment: Assignment, submission: Submission, user: Any
) -> AssignmentFeedback:
    """The policy of a submission the student made for the assignment."""
    cases = (submission.report or {}).get("cases") or []
    hidden = frozenset(
        str(case.get("name", ""))
        for case in cases
        if isinstance(case, dict) and case.get("hidden")
    )
    level = (
        "all"
        if assignment.hidden_feedback == Assignment.HiddenFeedback.ALWAYS
        else "after_due"
    )
    return AssignmentFeedback(
        exercise=submission.exercise,
        hidden_cases=hidden,
        hidden_level=level,
        due=window_for(assignment, submission.user).due_at,
    )


def work_of(submission: Submission) -> Work | None:
    """The assignment work this submission is, if any."""
    return (
        Work.objects.filter(submission=submission)
        .select_related("assignment__course")
        .first()
    )


def report_for(
    *,
    work: Work,
    submission: Submission,
    staff: bool,
    now: datetime | None = None,
) -> dict[str, Any] | None:
    """The report as its viewer may see it: course staff all of it, the
    student what the assignment shows at `now`."""
    if staff:
        return policy.full_report(submission.report)
    rules = feedback_policy(
        assignment=work.assignment, submission=submission, user=submission.user
    )
    return policy.report_for_student(submission.report, rules, now or timezone.now())


def status_context(
    *, work: Work, submission: Submission, staff: bool
) -> dict[str, object]:
    """What the submission page and its polled fragment show (the same shape
    as exercises.coding.report.presentation.status_context)."""
    position = queue_position(submission=submission)
    report = report_for(work=work, submission=submission, staff=staff)
    featured, others = policy.first_failure(report["cases"] if report else [])
    return {
        "submission": submission,
        "work": work,
        "report": report,
        "featured": featured,
        "other_cases": others,
        "queue_position": position,
        "progress": grading_progress(submission, position),
    }


def status_json(
    *, work: Work, submission: Submission, staff: bool
) -> dict[str, object]:
    report = report_for(work=work, submission=submission, staff=staff)
    position = queue_position(submission=submission)
    return {
        "id": submission.pk,
        "status": submission.status,
        "phase": submission.phase if submission.is_active else "",
        "cases_done": submission.cases_done,
        "cases_total": submission.cases_total,
        "progress": grading_progress(submission, position).label,
        "score": submission.score,
        "late": work.late,
        "queue_position": position,
        "verdict": report.get("verdict") if report else None,
        "message": (report or {}).get("message") or submission.error_message,
        "passed": report.get("passed") if report else None,
        "total": report.get("total") if report else None,
        "report": report,
        "url": submission.get_absolute_url(),
    }


def own_work(*, submission: Submission, user: Any) -> Work | None:
    """The assignment work this submission is, when `user` made it: the
    site-wide submission pages then show it as the assignment says."""
    if submission.user_id != getattr(user, "pk", None):
        return None
    return work_of(submission)
