"""Write paths of the exercises app (HackSoft style: keyword-only, typed)."""

from exercises.services.attempts import AttemptOutcome, attempt_submit, variant_seed
from exercises.services.submissions import (
    SubmissionRejected,
    SweepSummary,
    submission_claim,
    submission_create,
    submission_enqueue,
    submission_grade,
    submissions_sweep,
)

__all__ = [
    "AttemptOutcome",
    "SubmissionRejected",
    "SweepSummary",
    "attempt_submit",
    "submission_claim",
    "submission_create",
    "submission_enqueue",
    "submission_grade",
    "submissions_sweep",
    "variant_seed",
]
