"""Read paths of the exercises app: what a page needs, scoped to its user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from exercises.models import (
    CodingExercise,
    HintUse,
    Lecture,
    Question,
    QuestionProgress,
    Submission,
    Topic,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass(frozen=True)
class TopicProgress:
    topic: Topic
    questions: int
    attempted: int
    correct_last: int

    @property
    def mastery(self) -> float:
        return self.correct_last / self.questions if self.questions else 0.0


def lecture_list() -> QuerySet[Lecture]:
    return Lecture.objects.prefetch_related("topics")


def topic_get(*, slug: str) -> Topic:
    return Topic.objects.select_related("lecture").get(slug=slug)


def question_list_for_topic(*, topic: Topic) -> QuerySet[Question]:
    return topic.questions.filter(is_published=True)


# What students may open: published and, for an instructor's own exercise, a
# passed validation (publishing demands one; this also holds against a raw
# UPDATE that skipped the checks).
EXERCISE_OPEN = Q(is_published=True) & (
    ~Q(engine_spec="") | Q(validation_status=CodingExercise.Validation.PASSED)
)


# What a list of exercises never shows: the statement, code and cases (an own
# exercise's validation report and generated cases can be large).
EXERCISE_LIST_DEFERRED = (
    "prompt", "starter_code", "reference_solution", "case_generator",
    "validation_report", "generated_cases", "case_overrides",
)  # fmt: skip


def exercise_list_for_topic(*, topic: Topic) -> QuerySet[CodingExercise]:
    return topic.coding_exercises.filter(EXERCISE_OPEN).defer(*EXERCISE_LIST_DEFERRED)


def question_get_published(*, slug: str) -> Question:
    """A published question with its topic and lecture, less the topic's own
    text (its summary and cheat sheet: the question's pages name the topic
    only, and every question page would read and decode them)."""
    return (
        Question.objects.select_related("topic__lecture")
        .defer("topic__summary", "topic__cheat_sheet")
        .get(slug=slug, is_published=True)
    )


def hints_revealed(*, user: User, question: Question, seed: int) -> tuple[int, ...]:
    """The indexes of the hints the student was shown on this variant, in
    order; no query for a question without hints."""
    if not question.hints:
        return ()
    return tuple(
        sorted(
            HintUse.objects.filter(user=user, question=question, seed=seed).values_list(
                "index", flat=True
            )
        )
    )


def exercise_get_published(
    *, slug: str, include_unpublished: bool = False
) -> CodingExercise:
    """A published exercise; `include_unpublished` for instructors' previews."""
    exercises = CodingExercise.objects.select_related("topic__lecture")
    if not include_unpublished:
        exercises = exercises.filter(EXERCISE_OPEN)
    return exercises.get(slug=slug)


def progress_by_question(
    *, user: User, questions: QuerySet[Question]
) -> dict[int, QuestionProgress]:
    rows = QuestionProgress.objects.filter(user=user, question__in=questions)
    return {row.question_id: row for row in rows}


def topic_progress_list(*, user: User) -> list[TopicProgress]:
    topics = Topic.objects.select_related("lecture").annotate(
        n_questions=Count(
            "questions", filter=Q(questions__is_published=True), distinct=True
        ),
        n_attempted=Count(
            "questions__progress",
            filter=Q(questions__progress__user=user, questions__is_published=True),
            distinct=True,
        ),
        n_correct=Count(
            "questions__progress",
            filter=Q(
                questions__progress__user=user,
                questions__progress__last_correct=True,
                questions__is_published=True,
            ),
            distinct=True,
        ),
    )
    return [
        TopicProgress(topic, topic.n_questions, topic.n_attempted, topic.n_correct)
        for topic in topics
    ]


# What a list of submissions never shows: the code and the stored report
# (a report with its cases can be hundreds of kilobytes).
LIST_DEFERRED = ("source", "report")


def submission_list_for_user(
    *, user: User, exercise: CodingExercise | None = None, whole: bool = False
) -> QuerySet[Submission]:
    """The user's submissions, newest first; without their code and report
    unless `whole` (the one the editor opens)."""
    submissions = Submission.objects.filter(user=user).select_related("exercise")
    if not whole:
        submissions = submissions.defer(*LIST_DEFERRED)
    if exercise is not None:
        submissions = submissions.filter(exercise=exercise)
    return submissions


def submission_get_for_user(*, user: User, submission_id: int) -> Submission:
    """The submission if it belongs to `user` (staff may see any); else DoesNotExist."""
    submissions = Submission.objects.select_related("exercise__topic__lecture", "user")
    if not user.is_staff:
        submissions = submissions.filter(user=user)
    return submissions.get(pk=submission_id)
