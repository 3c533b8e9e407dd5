"""Problems students report on a question or a coding exercise: checked,
rate-limited and stored for the instructors' queue (the admin)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from exercises.models import (
    CodingExercise,
    ProblemReport,
    Question,
    QuizAttempt,
    Submission,
)
from exercises.models.reports import NOTE_MAX_CHARS
from exercises.services.attempts import variant_state

REPORTS_PER_HOUR = 10


@dataclass(frozen=True)
class Seen:
    """What a student saw when the practice pages are not where they saw it
    (a course item draws its own variants and keeps its own answers): the
    variant's seed and their answer on a question, their code on an exercise."""

    seed: int | None = None
    answer: object = None
    source: str = ""


class ReportRejected(Exception):
    """A report that is not stored, with the message and HTTP status for it."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def problem_report_create(
    *,
    user: User,
    note: str,
    question: Question | None = None,
    exercise: CodingExercise | None = None,
    submission: Submission | None = None,
    seen: Seen | None = None,
) -> ProblemReport:
    """Store a report on a question (with the seed of the variant the student
    is on and their last answer) or on an exercise (with the submission they
    reported from, if any, else their last one, for its source). `seen`, when
    given, is what the student saw instead of their practice: the seed,
    answer or source stored as it says."""
    if (question is None) == (exercise is None):
        raise ValueError("A report is on a question or an exercise, not both.")
    note = _clean_note(note)
    _check_rate(user)
    if question is not None:
        return ProblemReport.objects.create(
            user=user,
            question=question,
            note=note,
            seed=variant_state(user=user, question=question).seed
            if seen is None
            else seen.seed,
            answer=_last_answer(user, question) if seen is None else seen.answer,
        )
    assert exercise is not None
    return ProblemReport.objects.create(
        user=user,
        exercise=exercise,
        note=note,
        submission=submission,
        source=_last_source(user, exercise, submission)
        if seen is None
        else seen.source,
    )


def _clean_note(note: str) -> str:
    note = note.strip()
    if not note:
        raise ReportRejected("Write a note saying what is wrong, then send it.", 400)
    if len(note) > NOTE_MAX_CHARS:
        raise ReportRejected(
            f"Your note has {len(note)} characters; the limit is {NOTE_MAX_CHARS}. "
            "Shorten it and send it again.",
            400,
        )
    return note


def _check_rate(user: User) -> None:
    """At most REPORTS_PER_HOUR reports an hour per student."""
    recent = ProblemReport.objects.filter(
        user=user, created_at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= REPORTS_PER_HOUR:
        raise ReportRejected(
            f"You have sent {recent} reports in the last hour; the limit is "
            f"{REPORTS_PER_HOUR}. Please try again later.",
            429,
        )


def _last_answer(user: User, question: Question) -> object:
    attempt = (
        QuizAttempt.objects.filter(user=user, question=question)
        .order_by("-created_at", "-pk")
        .first()
    )
    return attempt.answer if attempt is not None else None


def _last_source(
    user: User, exercise: CodingExercise, submission: Submission | None
) -> str:
    if submission is None:
        submission = (
            Submission.objects.filter(user=user, exercise=exercise)
            .order_by("-created_at", "-pk")
            .first()
        )
    return submission.source if submission is not None else ""
