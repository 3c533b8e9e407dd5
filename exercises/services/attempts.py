"""Write paths for quiz answers: check, store the attempt, update progress."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from exercises.checkers import CheckResult, check
from exercises.models import Question, QuestionProgress, QuizAttempt

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class AttemptOutcome:
    """The checker's verdict, and the stored attempt when the input was readable."""

    result: CheckResult
    attempt: QuizAttempt | None


def variant_seed(*, user_id: int, question_id: int, attempt_number: int) -> int:
    """A stable seed for (student, question, attempt): the same triple always
    gives the same variant, and different students see different ones."""
    digest = hashlib.sha256(
        f"{user_id}:{question_id}:{attempt_number}".encode()
    ).digest()
    return int.from_bytes(digest[:6], "big")


def attempt_submit(
    *,
    user: User,
    question: Question,
    answer: dict[str, Any],
    seed: int,
    hints_used: int = 0,
) -> AttemptOutcome:
    """Check an answer to the variant `seed`; store it and update progress
    only if it could be read (a format error never costs an attempt)."""
    from exercises.variants import variant_for

    result = check(
        question.kind, question.spec, answer, variant_for(question.spec, seed)
    )
    if not result.readable:
        return AttemptOutcome(result, None)
    with transaction.atomic():
        attempt = QuizAttempt.objects.create(
            user=user,
            question=question,
            seed=seed,
            answer=answer,
            is_correct=result.correct,
            score=result.score,
            feedback=result.as_feedback(),
            hints_used=hints_used,
        )
        _progress_record(user=user, question=question, correct=result.correct)
    return AttemptOutcome(result, attempt)


def _progress_record(*, user: User, question: Question, correct: bool) -> None:
    progress, _ = QuestionProgress.objects.get_or_create(user=user, question=question)
    QuestionProgress.objects.filter(pk=progress.pk).update(
        attempts=F("attempts") + 1,
        correct=F("correct") + (1 if correct else 0),
        last_correct=correct,
        last_attempt_at=timezone.now(),
    )
