"""Read paths of the instructors' regrade pages: which submissions to pick,
what a run did."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.db.models.fields.json import KT

from exercises.coding.regrade.rules import (
    FAULTS,
    NOT_APPLIED,
    SKIPPED,
    change_note,
    differs,
    dry_run_changes,
    kept_higher,
)
from exercises.coding.regrade.short_passes import short_passes
from exercises.models import CodingExercise, RegradeChange, RegradeRun, Submission


@dataclass(frozen=True)
class SubmissionFilter:
    exercise: CodingExercise | None = None
    student: str = ""  # part of a username
    status: str = ""
    short_passes: bool = False  # passed on fewer results than cases sent


def regrade_candidates(*, filters: SubmissionFilter) -> QuerySet[Submission]:
    """Submissions to choose from, newest first, without their source and report."""
    submissions = (
        Submission.objects.defer("source", "report")
        .annotate(verdict=KT("report__verdict"))
        .select_related("user", "exercise")
        .order_by("-created_at", "-id")
    )
    if filters.exercise is not None:
        submissions = submissions.filter(exercise=filters.exercise)
    if filters.student:
        submissions = submissions.filter(user__username__icontains=filters.student)
    if filters.status:
        submissions = submissions.filter(status=filters.status)
    if filters.short_passes:
        submissions = submissions.filter(pk__in=short_passes().values("pk"))
    return submissions


def run_list() -> QuerySet[RegradeRun]:
    return RegradeRun.objects.select_related("created_by", "exercise", "applies")


@dataclass(frozen=True)
class ChangeRow:
    change: RegradeChange
    changed: bool
    note: str


@dataclass(frozen=True)
class RunReport:
    """A run's changes and their counts. `rows` holds what an instructor needs
    to read: for a dry run the submissions whose score or verdict would change
    (and the ones it could not grade); for an applied run every submission."""

    rows: list[ChangeRow]
    counts: dict[str, int]
    applicable: int  # for a dry run: how many an apply would regrade


def run_report(*, run: RegradeRun) -> RunReport:
    changes = list(
        run.changes.select_related("submission__user", "submission__exercise")
        .defer("submission__source", "submission__report")
        .order_by("submission__exercise__slug", "submission__user__username", "pk")
    )
    dry = dry_run_changes(run)
    rows = [
        ChangeRow(
            change,
            differs(change),
            change_note(change, run, dry.get(change.submission_id)),
        )
        for change in changes
    ]
    counts: Counter[str] = Counter()
    for row in rows:
        counts[_kind(row, run)] += 1
    applicable = sum(
        1 for row in rows if row.changed and row.change.new_verdict not in NOT_APPLIED
    )
    shown = rows if not run.dry_run else [row for row in rows if row.changed]
    return RunReport(shown, dict(counts), applicable)


def _kind(row: ChangeRow, run: RegradeRun) -> str:
    change = row.change
    if change.new_verdict == SKIPPED:
        return "skipped"
    if change.new_verdict in FAULTS:
        return "errors"
    if change.applied:
        return "applied"
    if not row.changed:
        return "unchanged"
    if not run.dry_run and run.never_lower and kept_higher(change):
        return "kept"
    return "changed"
