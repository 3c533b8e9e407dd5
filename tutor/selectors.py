"""Read paths of the student's journey: mastery, reviews due, where to go next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from exercises.models import (
    CodingExercise,
    Question,
    QuestionProgress,
    QuizAttempt,
    Submission,
    Topic,
)
from tutor.models import MockExam, ReviewCard

RECENT_DAYS = 14


@dataclass(frozen=True)
class Mastery:
    topic: Topic
    questions: int
    attempted: int  # questions attempted in the recent window
    correct: int  # of those, last answered correctly

    @property
    def share(self) -> float:
        return self.correct / self.questions if self.questions else 0.0


def mastery_by_topic(*, user: User, now: datetime | None = None) -> list[Mastery]:
    since = (now or timezone.now()) - timedelta(days=RECENT_DAYS)
    recent = QuestionProgress.objects.filter(user=user, last_attempt_at__gte=since)
    attempted = dict(
        recent.values("question__topic")
        .annotate(n=Count("id"))
        .values_list("question__topic", "n")
    )
    correct = dict(
        recent.filter(last_correct=True)
        .values("question__topic")
        .annotate(n=Count("id"))
        .values_list("question__topic", "n")
    )
    topics = Topic.objects.select_related("lecture").annotate(
        n_questions=Count("questions", filter=Q(questions__is_published=True))
    )
    return [
        Mastery(
            topic,
            topic.n_questions,
            attempted.get(topic.pk, 0),
            correct.get(topic.pk, 0),
        )
        for topic in topics
    ]


def _review_cards(user: User) -> QuerySet[ReviewCard]:
    """The student's cards of published items: quiz questions, and coding
    exercises they passed (tutor.code_review serves those)."""
    return ReviewCard.objects.filter(
        Q(question__is_published=True) | Q(exercise__is_published=True), user=user
    ).select_related("question__topic", "exercise__topic")


def reviews_due(*, user: User, now: datetime | None = None) -> QuerySet[ReviewCard]:
    return _review_cards(user).filter(due__lte=now or timezone.now()).order_by("due")


def reviews_upcoming(
    *, user: User, now: datetime | None = None
) -> QuerySet[ReviewCard]:
    return _review_cards(user).filter(due__gt=now or timezone.now()).order_by("due")


def last_activity(*, user: User) -> tuple[str, str] | None:
    """(title, url) of what the student last worked on, to continue from."""
    attempt = QuizAttempt.objects.filter(user=user).select_related("question").first()
    submission = Submission.objects.filter(user=user).select_related("exercise").first()
    if attempt and (not submission or attempt.created_at >= submission.created_at):
        question = attempt.question
        following = next_question(user=user, after=question)
        target = following or question
        return (target.label, target.get_absolute_url())
    if submission:
        return (submission.exercise.title, submission.exercise.get_absolute_url())
    return None


def next_question(*, user: User, after: Question) -> Question | None:
    """The next question of the same topic the student has not yet got right."""
    slug = next_question_slug(user=user, after=after)
    return Question.objects.filter(slug=slug).first() if slug else None


# The topic's published questions in their order (Question.Meta.ordering
# within a topic), each with whether the student's last counted answer to it
# was right. Written in SQL: it is read on every question page, and the ORM
# took ten times the query's own cost to compile its EXISTS (0.98 against
# 0.10 ms on the benchmark machine).
_TOPIC_QUESTIONS_RIGHT = """
    SELECT q.id, q.slug, EXISTS (
        SELECT 1 FROM exercises_questionprogress p
        WHERE p.question_id = q.id AND p.user_id = %s AND p.last_correct
    )
    FROM exercises_question q
    WHERE q.topic_id = %s AND q.is_published
    ORDER BY q."order", q.slug
"""


def next_question_slug(*, user: User, after: Question) -> str | None:
    """The slug of the next question of the same topic (after `after`, round
    to the start) the student has not yet got right."""
    with connection.cursor() as cursor:
        cursor.execute(_TOPIC_QUESTIONS_RIGHT, [user.pk, after.topic_id])
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    position = ids.index(after.pk) if after.pk in ids else -1
    for pk, slug, right in rows[position + 1 :] + rows[: position + 1]:
        if not right and pk != after.pk:
            return str(slug)
    return None


def exercise_best_scores(
    *, user: User, exercises: QuerySet[CodingExercise]
) -> dict[int, float]:
    rows = (
        Submission.objects.filter(
            user=user, exercise__in=exercises, status=Submission.Status.DONE
        )
        .values("exercise")
        .annotate(best=Max("score"))
    )
    return {row["exercise"]: row["best"] or 0.0 for row in rows}


def exams_for(*, user: User) -> QuerySet[MockExam]:
    return MockExam.objects.filter(user=user)
