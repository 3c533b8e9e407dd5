"""Write paths of the student's journey: practice answers with their review
schedule, hints, and mock exams."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from fsrs import Card, Rating, Scheduler

from exercises.checkers import check
from exercises.models import HintUse, Question
from exercises.selectors import hints_revealed
from exercises.services import AttemptOutcome
from exercises.services.attempts import variant_answer
from exercises.variants import variant_for
from tutor.mastery import mastery_record_exam, mastery_record_quiz
from tutor.models import ExamBlueprint, MockExam, MockExamItem, ReviewCard

# No same-day learning steps: an exam-practice review comes back in days.
SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=True)


T = TypeVar("T")

# A random paper without a blueprint: how many questions, how long.
RANDOM_PAPER_SIZE = 10
RANDOM_MINUTES = 20


class ExamClosed(Exception):
    """The paper was submitted or its time is up."""


@dataclass(frozen=True)
class PracticeOutcome:
    attempt: AttemptOutcome
    card: ReviewCard | None
    # The indexes of the variant's hints shown before this answer.
    hints: tuple[int, ...] = ()

    @property
    def counted(self) -> bool:
        """Whether this answer moved mastery and the review schedule."""
        return self.attempt.counted


def practice_answer(
    *, user: User, question: Question, answer: dict[str, Any], seed: int | None
) -> PracticeOutcome:
    """Check and store the student's answer to the variant they are on, and
    reschedule the question's review if the answer counts.

    The rules (Anki's and Khan Academy's): a variant is answered once; once its
    feedback was shown it is closed, and another answer to it raises
    VariantClosed with nothing recorded (VariantNotCurrent for a variant the
    student is not on). A session is a calendar day in the site's time zone
    (exercises.services.attempts.session_start), which matches how reviews work
    here: the scheduler has no same-day steps, so a card is due at most once a
    day. Only the first answer to the question in a session moves mastery
    (QuestionProgress) and the FSRS card, rated with the hints shown on this
    variant before it; later tries are stored and shown, and move neither."""
    revealed = (
        hints_revealed(user=user, question=question, seed=seed)
        if seed is not None
        else ()
    )
    hints = len(revealed)
    with transaction.atomic():
        outcome = variant_answer(
            user=user, question=question, answer=answer, seed=seed, hints_used=hints
        )
        if outcome.attempt is None:
            return PracticeOutcome(outcome, None, revealed)
        if not outcome.counted:
            card = ReviewCard.objects.filter(user=user, question=question).first()
            return PracticeOutcome(outcome, card, revealed)
        card = review_record(
            user=user,
            question=question,
            correct=outcome.result.correct,
            hints_used=hints,
        )
        # The attempt was stored just now, in this transaction: no event can
        # name it yet.
        mastery_record_quiz(attempt=outcome.attempt, hints_used=hints, fresh=True)
    return PracticeOutcome(outcome, card, revealed)


def rating_for(*, correct: bool, hints_used: int) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hints_used else Rating.Good


def review_record(
    *,
    user: User,
    question: Question,
    correct: bool,
    hints_used: int = 0,
    at: datetime | None = None,
) -> ReviewCard:
    """Schedule the next review of a question with FSRS, from this answer."""
    moment = at or timezone.now()
    rating = rating_for(correct=correct, hints_used=hints_used)
    with transaction.atomic(savepoint=False):  # an error rolls back the caller's
        card_row = (
            ReviewCard.objects.select_for_update()
            .filter(user=user, question=question)
            .first()
        )
        card = Card.from_dict(card_row.state) if card_row else Card()
        card, _ = SCHEDULER.review_card(card, rating, review_datetime=moment)
        if card_row is None:
            card_row = ReviewCard(user=user, question=question)
        card_row.state = card.to_dict()
        card_row.due = card.due
        card_row.reviews += 1
        card_row.last_rating = rating.name.lower()
        card_row.save()
    return card_row


def hint_reveal(*, user: User, question: Question, seed: int, index: int) -> int:
    """Record that hint `index` of this variant was shown; returns how many are used."""
    if not 0 <= index < len(question.hints):
        raise IndexError("no such hint")
    HintUse.objects.get_or_create(user=user, question=question, seed=seed, index=index)
    return HintUse.objects.filter(user=user, question=question, seed=seed).count()


# ---------------------------------------------------------------- mock exams


def exam_start(
    *,
    user: User,
    blueprint: ExamBlueprint | None = None,
    deadline: datetime | None = None,
    title: str = "",
) -> MockExam:
    """Draw a paper by the blueprint's rules (or at random) and start its clock.

    `deadline`, when given, replaces the blueprint's duration: a course's exam
    sets the student's own (their accommodation, the end of their window). The
    server enforces it like any paper's."""
    now = timezone.now()
    minutes = blueprint.duration_minutes if blueprint else RANDOM_MINUTES
    draw = random.Random(f"{user.pk}:{now.timestamp()}")  # noqa: S311 - choosing questions
    questions = _draw_questions(blueprint, draw)
    if not questions:
        raise ValueError("there are no questions to draw from")
    with transaction.atomic():
        exam = MockExam.objects.create(
            user=user,
            blueprint=blueprint,
            title=title or (blueprint.name if blueprint else "Random paper"),
            deadline=deadline or now + timedelta(minutes=minutes),
        )
        MockExamItem.objects.bulk_create(
            MockExamItem(
                exam=exam,
                position=position,
                question=question,
                seed=_item_seed(exam.pk, position),
            )
            for position, question in enumerate(questions)
        )
    return exam


def _draw_questions(
    blueprint: ExamBlueprint | None, draw: random.Random
) -> list[Question]:
    """A blueprint's rules (so many from each named topic, in the rules'
    order), else `random_count` questions (10 without a blueprint) spread
    evenly over every topic that has published questions (see balanced_draw),
    in the course's topic order."""
    published = Question.objects.filter(is_published=True).select_related("topic")
    if blueprint and blueprint.rules:
        chosen: list[Question] = []
        for rule in blueprint.rules:
            pool = list(published.filter(topic__code=str(rule["topic"])).order_by("pk"))
            chosen += draw.sample(pool, min(int(rule["count"]), len(pool)))
        return chosen
    pools: dict[int, list[Question]] = {}
    for question in published.order_by("topic_id", "pk"):
        pools.setdefault(question.topic_id, []).append(question)
    count = blueprint.random_count if blueprint else RANDOM_PAPER_SIZE
    return sorted(
        balanced_draw(pools, count, draw),
        key=lambda q: (q.topic.order, q.topic.code, q.pk),
    )


def balanced_draw(
    pools: Mapping[int, Sequence[T]], count: int, draw: random.Random
) -> list[T]:
    """`count` items from the pools (at most all of them), dealt one pool at a
    time in an order shuffled by `draw`: the numbers drawn from any two pools
    differ by at most one, unless the smaller pool ran out. Which pools get
    the extra one is random, and so is the sample within each pool; the same
    `draw` state gives the same result."""
    keys = sorted(pools)
    draw.shuffle(keys)
    quotas = dict.fromkeys(keys, 0)
    left = min(count, sum(len(pool) for pool in pools.values()))
    while left > 0:
        for key in keys:
            if left > 0 and quotas[key] < len(pools[key]):
                quotas[key] += 1
                left -= 1
    return [item for key in keys for item in draw.sample(pools[key], quotas[key])]


def _item_seed(exam_id: int, position: int) -> int:
    digest = hashlib.sha256(f"exam:{exam_id}:{position}".encode()).digest()
    return int.from_bytes(digest[:6], "big")


def exam_expire_if_due(*, exam: MockExam, at: datetime | None = None) -> MockExam:
    """Mark a paper whose time ran out, as it stood at the deadline."""
    if exam.is_open and (at or timezone.now()) >= exam.deadline:
        return exam_submit(exam=exam, timed_out=True)
    return exam


def exam_takes_answers(*, exam: MockExam, at: datetime | None = None) -> bool:
    return exam.is_open and (at or timezone.now()) < exam.deadline


def exam_closed(*, exam: MockExam, at: datetime | None = None) -> ExamClosed:
    """Why a paper takes no more answers; one whose time ran out is marked first."""
    closed = exam_expire_if_due(exam=exam, at=at)
    if closed.timed_out:
        return ExamClosed(
            "The time for this paper is up; it has been marked as it stood."
        )
    return ExamClosed("This paper has been submitted; it can no longer be changed.")


def exam_save_answer(
    *,
    exam: MockExam,
    position: int,
    answer: dict[str, Any] | None,
    reading: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> MockExamItem:
    """Keep an answer for marking at the end (no feedback before then); None
    clears it. `reading` is how the answer was read as it was saved: it stays in
    the item's `result` until the paper is marked. The paper's row is locked so
    that no answer lands after it was marked."""
    with transaction.atomic():
        current = MockExam.objects.select_for_update().get(pk=exam.pk)
        if exam_takes_answers(exam=current, at=at):
            item = current.items.get(position=position)
            item.answer = answer
            item.result = reading
            item.save(update_fields=["answer", "result"])
            return item
    raise exam_closed(exam=current, at=at)


def exam_submit(*, exam: MockExam, timed_out: bool = False) -> MockExam:
    """Mark every item and the paper; idempotent."""
    with transaction.atomic():
        exam = MockExam.objects.select_for_update().get(pk=exam.pk)
        if not exam.is_open:
            return exam
        totals: dict[str, list[float]] = {}
        titles: dict[str, str] = {}
        for item in exam.items.select_related("question__topic"):
            _mark(item)
            code = item.question.topic.code
            titles[code] = item.question.topic.title
            totals.setdefault(code, [0.0, 0.0])
            totals[code][0] += item.score or 0.0
            totals[code][1] += 1
        exam.by_topic = {
            code: {
                "title": titles[code],
                "score": round(got / count, 4),
                "questions": int(count),
            }
            for code, (got, count) in totals.items()
        }
        scores = [item.score or 0.0 for item in exam.items.all()]
        exam.score = round(sum(scores) / len(scores), 4) if scores else 0.0
        exam.submitted_at = timezone.now()
        exam.timed_out = timed_out
        exam.save()
        mastery_record_exam(exam=exam)
    return exam


def _mark(item: MockExamItem) -> None:
    question = item.question
    if not item.answer:
        item.result = {"readable": True, "correct": False, "message": "Not answered."}
        item.score = 0.0
    else:
        result = check(
            question.kind,
            question.spec,
            item.answer,
            variant_for(question.spec, item.seed),
        )
        item.result = {
            "readable": result.readable,
            "correct": result.correct,
            "message": result.message
            if result.readable
            else f"Could not be read: {result.message}",
            "details": result.details,
        }
        item.score = result.score if result.readable else 0.0
    item.save(update_fields=["result", "score"])
