"""Scores of assignment work that may have changed, for whoever passes them
on (the LMS grade passback listens): sent when a quiz answer or a mock exam
is recorded as assignment work, and when a submission that is assignment
work is graded or regraded."""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal, receiver

from exercises.coding.signals import submission_scored
from tutor.courses.models import Work

# Sent with `assignment_id` and `user_id`.
work_scored = Signal()


def announce(work: Work) -> None:
    work_scored.send(
        sender=Work, assignment_id=work.assignment_id, user_id=work.user_id
    )


@receiver(submission_scored, dispatch_uid="courses.submission_scored")
def _submission_scored(sender: Any, submission_id: int, **kwargs: Any) -> None:
    work = Work.objects.filter(submission_id=submission_id).first()
    if work is not None:
        announce(work)
