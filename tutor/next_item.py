"""What to do next: one item and the reason for it, in words (TUTORING.md 5.3).

In order of preference:
1. a review that is due (the review queue: quiz cards and at most two coding
   reviews a day), at most REVIEWS_PER_SESSION reviews a day from here;
2. after a failed implementation, the rung below on the exercise's ladder
   (faded example, then Parsons problem), when the exercise has one;
3. new learning: among the open topics (each prerequisite at P(L) ≥ 0.8)
   the one with the lowest P(L), ties to the least recently practised, then
   in course order; in it, the item not yet answered whose predicted chance
   of a right first answer is nearest 0.75 (desirable difficulty).
Never the same topic twice in a row when the last item is known
(interleaving), unless nothing else is left.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone

from exercises.models import (
    CodingExercise,
    Question,
    QuizAttempt,
    RungAttempt,
    Submission,
    Topic,
)
from exercises.services.attempts import session_start
from tutor import code_review, mastery
from tutor.models import MasteryEvent, ReviewCard

if TYPE_CHECKING:
    from django.contrib.auth.models import User

REVIEWS_PER_SESSION = 5
TARGET_P = 0.75
Item = Question | CodingExercise
# The rung below each one, for a failed answer (TUTORING.md 5.3).
RUNG_BELOW = {"implement": "faded", "faded": "parsons", "parsons": "worked"}
RUNG_NAMES = {
    "implement": "submission",
    "faded": "faded example",
    "parsons": "Parsons problem",
    "worked": "worked example",
}


@dataclass(frozen=True)
class Suggestion:
    title: str  # Markdown with $…$ maths (a question's label)
    url: str
    reason: str
    kind: str  # review, ladder, question, exercise
    topic: Topic


def next_item(
    *, user: User, after: Item | None = None, now: datetime | None = None
) -> Suggestion | None:
    """The next best item for the student; `after` is the item just done."""
    now = now or timezone.now()
    last_topic = after.topic_id if after is not None else _last_topic_id(user)
    ladder = _ladder_step(user)
    for avoid in ({last_topic}, set()):  # relaxed only when nothing else is left
        found = (
            _review(user, now, avoid, after)
            or ladder
            or _new_learning(user, avoid, after)
        )
        if found is not None:
            return found
    return None


def reviews_done_today(*, user: User, now: datetime | None = None) -> int:
    """Cards reviewed today (the first answer of an item makes its card and
    is no review)."""
    now = now or timezone.now()
    return ReviewCard.objects.filter(
        user=user, updated_at__gte=session_start(now), reviews__gte=2, due__gt=now
    ).count()


def _same(card: ReviewCard, item: Item | None) -> bool:
    if isinstance(item, Question):
        return card.question_id == item.pk
    return isinstance(item, CodingExercise) and card.exercise_id == item.pk


def _review(
    user: User, now: datetime, avoid: set[int | None], after: Item | None
) -> Suggestion | None:
    if reviews_done_today(user=user, now=now) >= REVIEWS_PER_SESSION:
        return None
    for item in code_review.review_queue(user=user, now=now):
        if item.topic.pk in avoid or _same(item.card, after):
            continue
        reason = "due for review"
        if item.is_code:
            reason += f", as {item.form_phrase}"
        return Suggestion(item.title, item.url, reason, "review", item.topic)
    return None


def _last_topic_id(user: User) -> int | None:
    """The topic of the student's latest answer, submission or rung attempt."""
    latest = [
        row
        for row in (
            QuizAttempt.objects.filter(user=user)
            .order_by("-created_at")
            .values_list("created_at", "question__topic_id")
            .first(),
            Submission.objects.filter(user=user)
            .order_by("-created_at")
            .values_list("created_at", "exercise__topic_id")
            .first(),
            RungAttempt.objects.filter(user=user)
            .order_by("-created_at")
            .values_list("created_at", "exercise__topic_id")
            .first(),
        )
        if row is not None
    ]
    return max(latest)[1] if latest else None


def _latest_coding(user: User) -> tuple[CodingExercise, str, bool] | None:
    """(exercise, rung or "implement", passed) of the latest graded coding
    answer, if it is the student's latest activity of all."""
    submission = (
        Submission.objects.filter(user=user, status=Submission.Status.DONE)
        .select_related("exercise__topic")
        .order_by("-created_at")
        .first()
    )
    rung = (
        RungAttempt.objects.filter(
            user=user, status=RungAttempt.Status.DONE, passed__isnull=False
        )
        .select_related("exercise__topic")
        .order_by("-created_at")
        .first()
    )
    quiz = QuizAttempt.objects.filter(user=user).order_by("-created_at").first()
    moments = [
        (row.created_at, index)
        for index, row in enumerate((submission, rung, quiz))
        if row is not None
    ]
    if not moments:
        return None
    latest = max(moments)[1]
    if latest == 0 and submission and mastery.submission_gradable(submission):
        passed = mastery.submission_passed(submission)
        return submission.exercise, "implement", passed
    if latest == 1 and rung is not None:
        return rung.exercise, rung.rung, bool(rung.passed)
    return None


def _ladder_step(user: User) -> Suggestion | None:
    latest = _latest_coding(user)
    if latest is None:
        return None
    exercise, rung, passed = latest
    below = RUNG_BELOW.get(rung)
    if passed or below is None or not code_review.has_ladder(exercise):
        return None
    url = f"{exercise.get_absolute_url()}ladder/{below}"
    try:
        resolve(url)
    except Resolver404:
        return None
    reason = (
        f"next: the {RUNG_NAMES[below]} for {exercise.title} "
        f"(your last {RUNG_NAMES[rung]} did not pass)"
    )
    title = f"{RUNG_NAMES[below].capitalize()}: {exercise.title}"
    return Suggestion(title, url, reason, "ladder", exercise.topic)


# ------------------------------------------------------------ new learning


def prerequisites_by_topic() -> dict[int, list[int]]:
    pairs = Topic.prerequisites.through.objects.values_list(
        "from_topic_id", "to_topic_id"
    )
    needs: dict[int, list[int]] = defaultdict(list)
    for topic_id, prerequisite_id in pairs:
        needs[topic_id].append(prerequisite_id)
    return needs


def open_topics(
    rows: Sequence[mastery.TopicMastery], needs: dict[int, list[int]]
) -> list[mastery.TopicMastery]:
    """Topics whose every prerequisite is at P(L) ≥ OPEN_AT."""
    p = {row.topic.pk: row.p_learned for row in rows}
    return [
        row
        for row in rows
        if all(p.get(other, 0.0) >= mastery.OPEN_AT for other in needs[row.topic.pk])
    ]


# What best_item and _suggest read of an item (a label needs the prompt).
_QUESTION_FIELDS = ("pk", "topic_id", "slug", "title", "prompt", "difficulty", "order")
_EXERCISE_FIELDS = ("pk", "topic_id", "slug", "title", "difficulty", "order")


def _unanswered(user: User) -> dict[int, list[Item]]:
    """Published items by topic that the student has no card for: questions
    never answered (a counted answer makes a card), exercises never passed."""
    cards = ReviewCard.objects.filter(user=user)
    seen_questions = set(cards.values_list("question_id", flat=True))
    seen_exercises = set(cards.values_list("exercise_id", flat=True))
    items: dict[int, list[Item]] = defaultdict(list)
    # Only what ranking and the suggestion read: every published item is
    # listed, and their specs and statements were most of the dashboard's cost.
    questions = Question.objects.filter(is_published=True).only(*_QUESTION_FIELDS)
    for question in questions.order_by("order", "pk"):
        if question.pk not in seen_questions:
            items[question.topic_id].append(question)
    exercises = CodingExercise.objects.filter(is_published=True)
    for exercise in exercises.only(*_EXERCISE_FIELDS).order_by("order", "pk"):
        if exercise.pk not in seen_exercises:
            items[exercise.topic_id].append(exercise)
    return items


def best_item(items: Sequence[Item], p_learned: float) -> Item | None:
    """The item whose predicted chance of a right first answer is nearest
    TARGET_P; questions before exercises on a tie, then in order."""
    ranked = sorted(
        enumerate(items),
        key=lambda pair: (
            round(
                abs(
                    mastery.predicted_correct(p_learned, pair[1].difficulty) - TARGET_P
                ),
                6,
            ),
            isinstance(pair[1], CodingExercise),
            pair[0],
        ),
    )
    return ranked[0][1] if ranked else None


def _new_learning(
    user: User, avoid: set[int | None], after: Item | None
) -> Suggestion | None:
    rows = mastery.topic_mastery_list(user=user)
    practised = dict(
        MasteryEvent.objects.filter(user=user)
        .values("topic_id")
        .annotate(at=Max("created_at"))
        .values_list("topic_id", "at")
    )
    position = {row.topic.pk: index for index, row in enumerate(rows)}
    candidates = sorted(
        open_topics(rows, prerequisites_by_topic()),
        key=lambda row: (
            row.p_learned,
            row.topic.pk in practised,
            practised.get(row.topic.pk) or timezone.now(),
            position[row.topic.pk],
        ),
    )
    unanswered = _unanswered(user)
    for row in candidates:
        if row.topic.pk in avoid:
            continue
        items = [item for item in unanswered[row.topic.pk] if item != after]
        item = best_item(items, row.p_learned)
        if item is not None:
            return _suggest(item, row)
    return None


def _suggest(item: Item, row: mastery.TopicMastery) -> Suggestion:
    topic = row.topic
    name = f"{topic.code} {topic.title}"
    if not row.started:
        reason = f"not started yet: {name}"
    elif row.mastered:
        reason = f"every open topic is mastered; keep {name} fresh"
    else:
        reason = f"weakest open topic: {name}"
    if isinstance(item, Question):
        return Suggestion(
            item.label, item.get_absolute_url(), reason, "question", topic
        )
    return Suggestion(item.title, item.get_absolute_url(), reason, "exercise", topic)
