"""Write paths for quiz answers: check, store the attempt, update progress.

The practice rules (the Anki / Khan Academy rules) live here:
- a student answers the variant they are on, once: its feedback closes it, and
  another try is a new variant ("Try again", "New numbers");
- the variant they are on stays until they ask for another, so a reload never
  draws new numbers;
- only the first answer to a question in a session (`session_start`) moves
  their progress on it; later tries are stored and shown, and move nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from exercises.checkers import CheckResult, check
from exercises.models import Question, QuestionProgress, QuizAttempt
from exercises.rows import row_locked

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class AnswerRefused(Exception):
    """An answer that must not be recorded; the message says why."""


class VariantClosed(AnswerRefused):
    """The variant was answered already and its feedback shown."""


class VariantNotCurrent(AnswerRefused):
    """The form is for a variant the student is not on (never shown, or stale)."""


@dataclass(frozen=True)
class AttemptOutcome:
    """The checker's verdict, and the stored attempt when the input was readable.
    `counted`: whether the attempt moved the student's progress."""

    result: CheckResult
    attempt: QuizAttempt | None
    counted: bool = False


SEED_LIMIT = 2**48  # seeds are six bytes of a digest


def variant_seed(*, user_id: int, question_id: int, attempt_number: int) -> int:
    """A stable seed for (student, question, variant number): the same triple
    always gives the same variant, and different students see different ones."""
    digest = hashlib.sha256(
        f"{user_id}:{question_id}:{attempt_number}".encode()
    ).digest()
    return int.from_bytes(digest[:6], "big")


def session_start(at: datetime | None = None) -> datetime:
    """Where the practice session that `at` (default: now) falls in began.

    A session is a calendar day in the site's time zone. The review scheduler
    has no same-day steps (its shortest interval is a day), so a question is
    due at most once a day; the first answer to it in a day is the one that
    says what the student knew, and the only one that counts for mastery and
    for its review card. Tries after the feedback was shown are stored and
    shown, and count for neither."""
    return timezone.localtime(at or timezone.now()).replace(
        hour=0, minute=0, second=0, microsecond=0
    )


def _seed(user: User, question: Question, number: int) -> int:
    return variant_seed(user_id=user.pk, question_id=question.pk, attempt_number=number)


def variant_attempt(*, user: User, question: Question, seed: int) -> QuizAttempt | None:
    """The answer given to the variant `seed`, if any: once there is one, the
    variant is closed."""
    return (
        QuizAttempt.objects.filter(user=user, question=question, seed=seed)
        .order_by("created_at")
        .first()
    )


@dataclass(frozen=True)
class VariantState:
    """The variant a student works on now: its number, its seed, and the
    answer given to it (None while it is open)."""

    number: int
    seed: int
    attempt: QuizAttempt | None


def variant_state(
    *,
    user: User,
    question: Question,
    stored: int | None = None,
    at: datetime | None = None,
) -> VariantState:
    """The variant the student works on now, with its answer if any.

    It is the one stored on their progress (`stored`, read when not given);
    or the next one when that was answered in an earlier session: its feedback
    was seen then, and a review must not show it again. One query for the
    answers to both, and one for the stored number when it is not given."""
    if stored is None:
        stored = (
            QuestionProgress.objects.filter(user=user, question=question)
            .values_list("variant", flat=True)
            .first()
        ) or 0
    seeds = _seeds(user, question, stored)
    first: dict[int, QuizAttempt] = {}
    for attempt in QuizAttempt.objects.filter(
        user=user, question=question, seed__in=seeds
    ).order_by("created_at"):
        first.setdefault(attempt.seed, attempt)
    answered = {seed: attempt.created_at for seed, attempt in first.items()}
    number = _current(stored, seeds, answered, session_start(at))
    seed = seeds[number - stored]
    return VariantState(number, seed, first.get(seed))


def _seeds(user: User, question: Question, stored: int) -> tuple[int, int]:
    """The seeds of the stored variant and of the one after it."""
    return _seed(user, question, stored), _seed(user, question, stored + 1)


def _current(
    stored: int, seeds: tuple[int, int], answered: dict[int, datetime], start: datetime
) -> int:
    """The number of the variant the student is on: the stored one, or the
    next when the stored one was answered (`answered`: each seed's first
    answer's time) before the session that began at `start`."""
    first = answered.get(seeds[0])
    return stored + 1 if first is not None and first < start else stored


def variant_advance(*, user: User, question: Question) -> int:
    """Move the student on to a fresh variant ("Try again", "New numbers") once
    the one they are on has been answered, and return its seed. A variant not
    answered yet is kept: a repeated request never skips one."""
    with transaction.atomic():
        progress = (
            QuestionProgress.objects.select_for_update()
            .filter(user=user, question=question)
            .first()
        )
        if progress is None:  # nothing answered yet: the first variant stays
            return _seed(user, question, 0)
        state = variant_state(user=user, question=question, stored=progress.variant)
        number = state.number + (state.attempt is not None)
        if number != progress.variant:
            QuestionProgress.objects.filter(pk=progress.pk).update(variant=number)
    return _seed(user, question, number)


def variant_answer(
    *,
    user: User,
    question: Question,
    answer: dict[str, Any],
    seed: int | None,
    hints_used: int = 0,
) -> AttemptOutcome:
    """Check and store the student's one answer to the variant they are on.

    Raises VariantNotCurrent for any other variant and VariantClosed for one
    already answered: nothing is recorded then. An unreadable answer is
    returned unrecorded and leaves the variant open (a format error never costs
    an attempt). The attempt counts for progress when it is the first answer
    to the question in this session (`session_start`)."""
    if seed is None or not 0 <= seed < SEED_LIMIT:
        raise VariantNotCurrent(seed)
    # No savepoint of its own: a caller's transaction (practice_answer) is
    # rolled back whole by any error here, and nothing here catches one.
    with transaction.atomic(savepoint=False):
        progress = _progress_locked(user, question)
        # Refused under the lock and before any checking. One read gives both
        # the answers to the stored variant and the next, and whether any
        # answer to the question was given this session (then this one does
        # not count): the first answer of each seed, and the times of all.
        start = session_start()
        seeds = _seeds(user, question, progress.variant)
        answered: dict[int, datetime] = {}
        counted = True
        for given, created in (
            QuizAttempt.objects.filter(
                Q(seed__in=seeds) | Q(created_at__gte=start),
                user=user,
                question=question,
            )
            .order_by("created_at")
            .values_list("seed", "created_at")
        ):
            answered.setdefault(given, created)
            counted = counted and created < start
        number = _current(progress.variant, seeds, answered, start)
        _refuse_unless_open(
            user, question, seed, seeds[number - progress.variant], answered
        )
        result = _checked(question, answer, seed)
        if not result.readable:
            # Nothing recorded, not even the progress row made above.
            transaction.set_rollback(True)
            return AttemptOutcome(result, None)
        attempt = _stored(user, question, answer, seed, result, hints_used)
        _progress_record(progress, correct=result.correct, counted=counted)
        if progress.variant != number:
            QuestionProgress.objects.filter(pk=progress.pk).update(variant=number)
    return AttemptOutcome(result, attempt, counted)


def _refuse_unless_open(
    user: User,
    question: Question,
    seed: int,
    current: int,
    answered: dict[int, datetime],
) -> None:
    """VariantClosed for an answer to a variant answered already,
    VariantNotCurrent for one to a variant the student is not on (`current`
    is the one they are on; `answered`, the seeds known to be answered)."""
    if seed != current:
        if seed in answered or variant_attempt(user=user, question=question, seed=seed):
            raise VariantClosed(seed)
        raise VariantNotCurrent(seed)
    if seed in answered:
        raise VariantClosed(seed)


class _Locked(NamedTuple):
    """The student's progress row on a question, locked: its id and the
    number of the variant stored on it."""

    pk: int
    variant: int


def _progress_locked(user: User, question: Question) -> _Locked:
    """The student's progress row on the question, made if missing and locked
    until the end of the transaction: their answers to it are recorded one at
    a time (exercises.rows: one statement, no savepoint)."""
    pk, variant = row_locked(
        QuestionProgress,
        keys={"user": user.pk, "question": question.pk},
        made={"attempts": 0, "correct": 0, "last_correct": False, "variant": 0},
        read=("id", "variant"),
    )
    return _Locked(pk, variant)


def attempt_submit(
    *,
    user: User,
    question: Question,
    answer: dict[str, Any],
    seed: int,
    hints_used: int = 0,
) -> AttemptOutcome:
    """Check an answer to the variant `seed` and store it as given, moving
    progress with it; only if it could be read. This records without the
    practice rules (for imports and test data): students' answers go through
    `variant_answer`."""
    result = _checked(question, answer, seed)
    if not result.readable:
        return AttemptOutcome(result, None)
    with transaction.atomic():
        progress = _progress_locked(user, question)
        attempt = _stored(user, question, answer, seed, result, hints_used)
        _progress_record(progress, correct=result.correct, counted=True)
    return AttemptOutcome(result, attempt, counted=True)


def _checked(question: Question, answer: dict[str, Any], seed: int) -> CheckResult:
    from exercises.variants import variant_for

    return check(question.kind, question.spec, answer, variant_for(question.spec, seed))


def _stored(
    user: User,
    question: Question,
    answer: dict[str, Any],
    seed: int,
    result: CheckResult,
    hints_used: int,
) -> QuizAttempt:
    return QuizAttempt.objects.create(
        user=user,
        question=question,
        seed=seed,
        answer=answer,
        is_correct=result.correct,
        score=result.score,
        feedback=result.as_feedback(),
        hints_used=hints_used,
    )


def _progress_record(progress: _Locked, *, correct: bool, counted: bool) -> None:
    if not counted:
        return
    QuestionProgress.objects.filter(pk=progress.pk).update(
        attempts=F("attempts") + 1,
        correct=F("correct") + (1 if correct else 0),
        last_correct=correct,
        last_attempt_at=timezone.now(),
    )


def attempt_counted(attempt: QuizAttempt) -> bool:
    """Whether a stored attempt was the first answer to its question in its
    session (the one that counted for progress and review)."""
    return not QuizAttempt.objects.filter(
        user_id=attempt.user_id,
        question_id=attempt.question_id,
        created_at__gte=session_start(attempt.created_at),
        created_at__lt=attempt.created_at,
    ).exists()
