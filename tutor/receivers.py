"""What the tutoring layer does when the grading queue reports: a graded
submission or a checked ladder rung moves mastery, makes or rates the
exercise's review card. Each delivery may come twice (the queue delivers at
least once): every write here is keyed on the row it came from. A failure is
logged and never breaks the grading that sent the signal."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from exercises.coding.signals import rung_checked, submission_scored
from exercises.models import RungAttempt, Submission
from tutor import code_review, mastery

log = logging.getLogger(__name__)


def submission_observed(*, submission_id: int) -> None:
    submission = (
        Submission.objects.select_related("user", "exercise__topic")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not mastery.submission_gradable(submission):
        return
    if not code_review.review_from_submission(submission=submission):
        mastery.mastery_record_submission(submission=submission)
    code_review.code_card_for_pass(submission=submission)


def rung_observed(*, attempt_id: int) -> None:
    attempt = (
        RungAttempt.objects.select_related("user", "exercise__topic")
        .filter(pk=attempt_id)
        .first()
    )
    if attempt is None:
        return
    if not code_review.review_from_rung(attempt=attempt):
        mastery.mastery_record_rung(attempt=attempt)


@receiver(submission_scored, dispatch_uid="tutor.mastery.submission_scored")
def _submission_scored(sender: Any, submission_id: int, **kwargs: Any) -> None:
    try:
        submission_observed(submission_id=submission_id)
    except Exception:
        log.exception("mastery and review of submission %s", submission_id)


@receiver(rung_checked, dispatch_uid="tutor.mastery.rung_checked")
def _rung_checked(sender: Any, attempt_id: int, **kwargs: Any) -> None:
    try:
        rung_observed(attempt_id=attempt_id)
    except Exception:
        log.exception("mastery and review of rung attempt %s", attempt_id)
