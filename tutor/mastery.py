"""Mastery per topic: Bayesian knowledge tracing (BKT) over first answers.

The model (Corbett & Anderson's BKT, the forward filter only): each topic is
a skill the student has learned with probability P(L). After an observed
answer, Bayes' rule with a guess rate G (right without knowing) and a slip
rate S (wrong despite knowing) gives the posterior, then the chance T of
learning it from the practice itself is added:

    P(L | right) = P(L)(1 - S) / (P(L)(1 - S) + (1 - P(L)) G)
    P(L | wrong) = P(L) S / (P(L) S + (1 - P(L))(1 - G))
    P(L) next    = posterior + (1 - posterior) T

The parameters are fixed, not fitted (a course of this size has too few
answers per topic to fit them): P(L0) = 0.2, T = 0.15, S = 0.10, and G by
the kind of item, since a four-option question is guessed far more often
than an implementation passes by luck. Three first-try-right four-option
answers take P(L) 0.2 → 0.55 → 0.84 → 0.96: mastered (≥ 0.95).

Only first answers are observations (TUTORING.md 5.4): the first counted
answer to a question in a session, a marked mock-exam item, the first graded
submission of an exercise, the first answer to a ladder rung's variant, the
first response to a review. An answer after a hint is an observation of "not
right". Every event is keyed on the row it came from, so a signal delivered
twice counts once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from exercises.models import (
    CodingExercise,
    HintReveal,
    Question,
    QuizAttempt,
    RungAttempt,
    Submission,
    Topic,
)
from exercises.rows import row_locked
from tutor.models import Mastery, MasteryEvent, MockExam

if TYPE_CHECKING:
    from django.contrib.auth.models import User

P_INIT = 0.2
P_LEARN = 0.15
P_SLIP = 0.10
MASTERED_AT = 0.95
# A topic opens in "what next" once each prerequisite is this far along.
OPEN_AT = 0.8
# Guess rates by item kind; a single-choice question's is 1/k for k options.
GUESS = {
    "parsons": 0.15,
    "faded": 0.05,
    "implement": 0.02,
}
GUESS_DEFAULT = 0.05  # numeric, symbolic, matrix, multiple choice, ordering, ...
State = Mastery.State
Source = MasteryEvent.Source


def bkt_update(
    p: float,
    correct: bool,
    *,
    guess: float,
    slip: float = P_SLIP,
    learn: float = P_LEARN,
) -> float:
    """P(learned) after one observed first answer (the module docstring)."""
    if correct:
        known, unknown = p * (1 - slip), (1 - p) * guess
    else:
        known, unknown = p * slip, (1 - p) * (1 - guess)
    posterior = known / (known + unknown)
    return posterior + (1 - posterior) * learn


def state_for(p: float, observations: int) -> str:
    if observations == 0:
        return State.NOT_STARTED
    return State.MASTERED if p >= MASTERED_AT else State.LEARNING


def guess_rate(kind: str, *, options: int = 0) -> float:
    """G for an item kind: 1/k for a single choice among k options."""
    if kind == Question.Kind.SINGLE:
        return 1 / options if options >= 2 else 0.25
    return GUESS.get(kind, GUESS_DEFAULT)


def question_guess(question: Question) -> float:
    options = question.spec.get("options") if isinstance(question.spec, dict) else None
    return guess_rate(question.kind, options=len(options or []))


def logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def predicted_correct(p_learned: float, difficulty: int) -> float:
    """A first answer's chance of being right, for "what next": a logistic of
    ability θ = logit(P(L)) against the author's difficulty 1/2/3 read as
    -1/0/+1 logits (a stand-in until items have Elo difficulties)."""
    return 1 / (1 + math.exp(-(logit(p_learned) - (difficulty - 2))))


# ------------------------------------------------------------------ writes


def mastery_observe(
    *,
    user: User,
    topic_id: int,
    source: str,
    key: str,
    kind: str,
    guess: float,
    correct: bool,
    question: Question | None = None,
    exercise: CodingExercise | None = None,
    fresh: bool = False,
) -> MasteryEvent | None:
    """Move the topic's P(L) by one observation and record it; None (and
    nothing changed) when the row `key` names was counted already. `fresh`:
    the caller made that row in this transaction, so no event can name it
    yet and the look for one is skipped (one statement fewer per answer).

    The topic's row is made if missing and locked first (exercises.rows, one
    statement): a second delivery of the same key waits for the first and
    then finds its event, so no savepoint is needed to catch a duplicate.
    (The event's unique key stays the guard of last resort: a key delivered
    twice at once under two topics, its item moved between them, fails the
    second delivery's transaction instead of counting twice.)"""
    with transaction.atomic(savepoint=False):
        pk, p_before, observations = row_locked(
            Mastery,
            keys={"user": user.pk, "topic": topic_id},
            made={
                "p_learned": P_INIT,
                "observations": 0,
                "state": Mastery.State.NOT_STARTED,
                "updated_at": timezone.now(),
            },
            read=("id", "p_learned", "observations"),
        )
        if (
            not fresh
            and MasteryEvent.objects.filter(user=user, source_key=key).exists()
        ):
            return None
        p_after = bkt_update(p_before, correct, guess=guess)
        event = MasteryEvent.objects.create(
            user=user,
            topic_id=topic_id,
            source=source,
            source_key=key,
            question=question,
            exercise=exercise,
            kind=kind,
            correct=correct,
            p_before=p_before,
            p_after=p_after,
        )
        Mastery.objects.filter(pk=pk).update(
            p_learned=p_after,
            observations=observations + 1,
            state=state_for(p_after, observations + 1),
            updated_at=timezone.now(),
        )
    return event


def mastery_record_quiz(
    *, attempt: QuizAttempt, hints_used: int, fresh: bool = False
) -> MasteryEvent | None:
    """A counted quiz answer; a hint shown before it makes it "not right".
    `fresh`: the attempt was stored in the caller's transaction, which is
    still open (see mastery_observe)."""
    question = attempt.question
    return mastery_observe(
        user=attempt.user,
        topic_id=question.topic_id,
        source=Source.QUIZ,
        key=f"quiz:{attempt.pk}",
        kind=question.kind,
        guess=question_guess(question),
        correct=attempt.is_correct and hints_used == 0,
        question=question,
        fresh=fresh,
    )


def mastery_record_exam(*, exam: MockExam) -> int:
    """Every answered item of a marked paper (each a first answer by
    construction); an item left blank is no observation, since time may have
    run out before it was read. Returns how many were recorded."""
    recorded = 0
    for item in exam.items.select_related("question"):
        if not item.answer or not isinstance(item.result, dict):
            continue
        event = mastery_observe(
            user=exam.user,
            topic_id=item.question.topic_id,
            source=Source.EXAM,
            key=f"exam:{item.pk}",
            kind=item.question.kind,
            guess=question_guess(item.question),
            correct=bool(item.result.get("correct")),
            question=item.question,
        )
        recorded += event is not None
    return recorded


def submission_gradable(submission: Submission) -> bool:
    """Graded, and the code could be run (a syntax error is no attempt)."""
    report = submission.report
    return (
        submission.status == Submission.Status.DONE
        and isinstance(report, dict)
        and report.get("gradable", True) is not False
    )


def submission_passed(submission: Submission) -> bool:
    report = submission.report if isinstance(submission.report, dict) else {}
    if "verdict" in report:
        return report["verdict"] == "passed"
    return submission.score is not None and submission.score >= 1.0


def gradable_submissions(
    *, user: User, exercise: CodingExercise, since: datetime | None = None
) -> Iterable[Submission]:
    """The student's graded submissions of the exercise, oldest first."""
    rows: QuerySet[Submission] = Submission.objects.filter(
        user=user, exercise=exercise, status=Submission.Status.DONE
    ).order_by("created_at", "pk")
    if since is not None:
        rows = rows.filter(created_at__gte=since)
    return (row for row in rows.iterator() if submission_gradable(row))


def bottom_out_before(
    *,
    user: User,
    exercise: CodingExercise,
    before: datetime,
    since: datetime | None = None,
) -> bool:
    """Whether the student opened a level-3 (corrected formula) code hint."""
    reveals = HintReveal.objects.filter(
        user=user, exercise=exercise, level=3, created_at__lt=before
    )
    if since is not None:
        reveals = reveals.filter(created_at__gte=since)
    return reveals.exists()


def mastery_record_submission(*, submission: Submission) -> MasteryEvent | None:
    """The student's first graded submission of an exercise (later ones
    measure the report they read); after a level-3 hint it is not right."""
    if not submission_gradable(submission):
        return None
    first = next(
        iter(gradable_submissions(user=submission.user, exercise=submission.exercise)),
        None,
    )
    if first is None or first.pk != submission.pk:
        return None
    exercise = submission.exercise
    helped = bottom_out_before(
        user=submission.user, exercise=exercise, before=submission.created_at
    )
    return mastery_observe(
        user=submission.user,
        topic_id=exercise.topic_id,
        source=Source.CODE,
        key=f"submission:{submission.pk}",
        kind="implement",
        guess=guess_rate("implement"),
        correct=submission_passed(submission) and not helped,
        exercise=exercise,
    )


def mastery_record_rung(
    *, attempt: RungAttempt, source: str = Source.RUNG
) -> MasteryEvent | None:
    """A ladder rung's first answer to its variant (`source` review when it is
    the first response to a spaced review); help taken makes it "not right"."""
    if attempt.status != RungAttempt.Status.DONE or attempt.passed is None:
        return None
    if source == Source.RUNG and not attempt.is_first:
        return None
    return mastery_observe(
        user=attempt.user,
        topic_id=attempt.exercise.topic_id,
        source=source,
        key=f"rung:{attempt.pk}",
        kind=attempt.rung,
        guess=guess_rate(attempt.rung),
        correct=bool(attempt.passed) and attempt.help_used == 0,
        exercise=attempt.exercise,
    )


# ------------------------------------------------------------------- reads


@dataclass(frozen=True)
class TopicMastery:
    topic: Topic
    p_learned: float
    observations: int
    state: str

    @property
    def started(self) -> bool:
        return self.observations > 0

    @property
    def mastered(self) -> bool:
        return self.state == State.MASTERED

    @property
    def percent(self) -> int:
        return round(self.p_learned * 100)

    @property
    def state_label(self) -> str:
        return str(State(self.state).label)


def topic_mastery_list(*, user: User) -> list[TopicMastery]:
    """Every topic in course order with the student's estimate; a topic with
    no first answer yet is "not started" at the prior P(L0)."""
    rows = {row.topic_id: row for row in Mastery.objects.filter(user=user)}
    topics = Topic.objects.select_related("lecture").order_by(
        "lecture__number", "order", "code"
    )
    result = []
    for topic in topics:
        row = rows.get(topic.pk)
        if row is None or row.observations == 0:
            result.append(TopicMastery(topic, P_INIT, 0, State.NOT_STARTED))
        else:
            result.append(
                TopicMastery(topic, row.p_learned, row.observations, row.state)
            )
    return result


def mastery_history(*, user: User, limit: int = 2000) -> dict[int, list[MasteryEvent]]:
    """The student's latest events (at most `limit`) by topic, oldest first."""
    latest = list(
        MasteryEvent.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]
    )
    history: dict[int, list[MasteryEvent]] = {}
    for event in reversed(latest):
        history.setdefault(event.topic_id, []).append(event)
    return history
