"""The mock exam of an exam assignment: starting a paper as an attempt.

The paper is an ordinary mock exam (the exam pages run it, the server's clock
closes it), whose deadline is the student's own: the blueprint's minutes
times their accommodation, never past the end of their window. Starting one
is an attempt (the attempt limit counts papers); its score reaches the
assignment when the paper is marked (tutor/exams.py announces it).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tutor import services
from tutor.courses.deadlines import exam_deadline
from tutor.courses.items import lock_student
from tutor.courses.models import Assignment, Work
from tutor.courses.work import WorkRefused, check_accepts, record
from tutor.models import MockExam


def exam_paper_open(*, assignment: Assignment, user: Any) -> MockExam | None:
    """The student's paper of this assignment still running, if any."""
    work = (
        Work.objects.filter(
            assignment=assignment,
            user=user,
            item__isnull=True,
            mock_exam__submitted_at__isnull=True,
            mock_exam__deadline__gt=timezone.now(),
        )
        .select_related("mock_exam")
        .first()
    )
    return work.mock_exam if work else None


def exam_papers(*, assignment: Assignment, user: Any) -> list[MockExam]:
    """The student's papers of this assignment, oldest first."""
    return [
        work.mock_exam
        for work in Work.objects.filter(
            assignment=assignment, user=user, item__isnull=True
        )
        .select_related("mock_exam")
        .order_by("created_at", "pk")
        if work.mock_exam is not None
    ]


def exam_assignment_start(*, assignment: Assignment, user: Any) -> MockExam:
    """Start a paper for the exam assignment (or give back the one running).
    Raises WorkRefused when the assignment takes no attempt now."""
    blueprint = assignment.blueprint
    if blueprint is None:
        raise WorkRefused("This assignment has no mock exam.", 404)
    with transaction.atomic():
        lock_student(assignment=assignment, user=user)
        running = exam_paper_open(assignment=assignment, user=user)
        if running is not None:
            return running
        late = check_accepts(assignment, None, user)
        deadline = exam_deadline(assignment, user, timezone.now())
        if deadline <= timezone.now():
            raise WorkRefused("There is no time left in this assignment's window.", 403)
        try:
            exam = services.exam_start(
                user=user,
                blueprint=blueprint,
                deadline=deadline,
                title=assignment.title,
            )
        except ValueError as exc:
            raise WorkRefused(f"The paper cannot be drawn: {exc}.", 409) from None
        record(assignment=assignment, item=None, user=user, mock_exam=exam, late=late)
    return exam
