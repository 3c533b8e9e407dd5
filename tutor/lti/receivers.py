"""Scores that may have changed, passed on to the platforms: assignment work
(tutor.courses.events.work_scored) and submissions to exercises that a link
opens on its own (exercises.coding.signals.submission_scored). A failure
here is logged and never breaks the grading that sent the signal; the
grade sync page's "resend all" recomputes every score."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from exercises.coding.signals import submission_scored
from tutor.courses.events import work_scored
from tutor.lti import passback
from tutor.lti.tasks import send_on_commit

log = logging.getLogger(__name__)


@receiver(work_scored, dispatch_uid="lti.work_scored")
def _work_scored(sender: Any, assignment_id: int, user_id: int, **kwargs: Any) -> None:
    try:
        send_on_commit(
            passback.passback_for_work(assignment_id=assignment_id, user_id=user_id)
        )
    except Exception:
        log.exception(
            "LTI: passback of assignment %s for user %s", assignment_id, user_id
        )


@receiver(submission_scored, dispatch_uid="lti.submission_scored")
def _submission_scored(sender: Any, submission_id: int, **kwargs: Any) -> None:
    try:
        send_on_commit(passback.passback_for_submission(submission_id=submission_id))
    except Exception:
        log.exception("LTI: passback of submission %s", submission_id)
