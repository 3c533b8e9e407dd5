"""What a regrade found, per submission: the rules that `runs` applies and
`pages` describes to instructors (pure functions, no writes)."""

from __future__ import annotations

import math
from typing import Any

from exercises.models import RegradeChange, RegradeRun

# Verdicts of a RegradeChange besides the engine's own.
SKIPPED = "skipped"  # the submission was queued or running
GRADER_ERROR = "grader_error"  # grading raised (misconfigured exercise, time)
# What is never stored over a submission's score: a fault of the grader, not
# of the student's code.
FAULTS = (GRADER_ERROR, "internal_error")
NOT_APPLIED = (SKIPPED, *FAULTS)


def differs(change: RegradeChange) -> bool:
    """Whether the new grading gives another score or verdict (floats compared
    to 1e-9, so that noise in the last digit is no change)."""
    if change.old_verdict != change.new_verdict:
        return True
    old, new = change.old_score, change.new_score
    if old is None or new is None:
        return old is not new
    return not math.isclose(old, new, rel_tol=0, abs_tol=1e-9)


def kept_higher(change: RegradeChange) -> bool:
    """The new score is lower than the old one (what never_lower keeps)."""
    old, new = change.old_score, change.new_score
    return old is not None and new is not None and new < old - 1e-9


def change_note(
    change: RegradeChange, run: RegradeRun, dry: RegradeChange | None = None
) -> str:
    """One line on what happened to a change (or would, for a dry run)."""
    if change.new_verdict == SKIPPED:
        return f"skipped: the submission was {change.old_verdict} at the time"
    if change.new_verdict == GRADER_ERROR:
        return "the grader failed on this submission; its score is left alone"
    if change.new_verdict == "internal_error":
        return "the sandbox reported an internal error; its score is left alone"
    notes = []
    if kept_higher(change) and (run.never_lower or run.dry_run):
        notes.append(
            "old score kept (higher)"
            if not run.dry_run
            else "lower: kept if never-lower is on"
        )
    if dry is not None and differs_from_dry_run(change, dry):
        notes.append(
            f"differs from the dry run ({_score(dry.new_score)}, {dry.new_verdict})"
        )
    return "; ".join(notes)


def differs_from_dry_run(change: RegradeChange, dry: RegradeChange | None) -> bool:
    """Whether the applied grading came out otherwise than the dry run's."""
    if dry is None:
        return False
    pair = RegradeChange(
        old_score=dry.new_score,
        new_score=change.new_score,
        old_verdict=dry.new_verdict,
        new_verdict=change.new_verdict,
    )
    return differs(pair)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def dry_run_changes(run: RegradeRun) -> dict[int, RegradeChange]:
    """The applied dry run's change per submission (empty for a dry run)."""
    if run.dry_run or run.applies_id is None:
        return {}
    return {
        change.submission_id: change
        for change in RegradeChange.objects.filter(run_id=run.applies_id)
    }


def applied_summary(
    run: RegradeRun,
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """What an applied run's audit entry records: a row per submission (old
    and new score and verdict, whether it was stored, a note) and the counts."""
    dry = dry_run_changes(run)
    changes = list(
        run.changes.select_related("submission__user", "submission__exercise")
    )
    rows = [
        {
            "submission": change.submission_id,
            "student": change.submission.user.get_username(),
            "exercise": change.submission.exercise.slug,
            "old_score": change.old_score,
            "new_score": change.new_score,
            "old_verdict": change.old_verdict,
            "new_verdict": change.new_verdict,
            "applied": change.applied,
            "note": change_note(change, run, dry.get(change.submission_id)),
        }
        for change in changes
    ]
    counts = {
        "regraded": len(changes),
        "applied": sum(1 for c in changes if c.applied),
        "kept_higher": sum(
            1 for c in changes if not c.applied and run.never_lower and kept_higher(c)
        ),
        "skipped": sum(1 for c in changes if c.new_verdict == SKIPPED),
        "grader_errors": sum(1 for c in changes if c.new_verdict in FAULTS),
        "differ_from_dry_run": sum(
            1 for c in changes if differs_from_dry_run(c, dry.get(c.submission_id))
        ),
    }
    return rows, counts
