"""The student's study plan: spaced-repetition cards and mock exams."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from exercises.models import CodingExercise, Question, Topic


class ReviewCard(models.Model):
    """The review schedule of one item for one student (FSRS state): a quiz
    question, or a coding exercise the student passed (it comes back as a
    Parsons problem, a faded example or a re-implementation, by stability)."""

    class Form(models.TextChoices):
        QUIZ = "quiz", "Quiz question"
        PARSONS = "parsons", "Parsons problem"
        FADED = "faded", "Faded example"
        IMPLEMENT = "implement", "Re-implementation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_cards",
    )
    exercise = models.ForeignKey(
        CodingExercise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="review_cards",
    )
    state = models.JSONField(help_text="The scheduler's card, as it serialises it.")
    due = models.DateTimeField(db_index=True)
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.CharField(max_length=10, blank=True)
    form_served = models.CharField(
        max_length=10,
        choices=Form.choices,
        default=Form.QUIZ,
        help_text="The form the item was last served in.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_card_per_question"
            ),
            models.UniqueConstraint(
                fields=["user", "exercise"], name="one_card_per_exercise"
            ),
            models.CheckConstraint(
                condition=Q(question__isnull=False, exercise__isnull=True)
                | Q(question__isnull=True, exercise__isnull=False),
                name="review_card_one_item",
            ),
        ]

    def __str__(self) -> str:
        item = self.question or self.exercise
        return f"{self.user} · {item} · due {self.due:%Y-%m-%d %H:%M}"


class Mastery(models.Model):
    """A student's estimated mastery of one topic: a Bayesian knowledge-tracing
    filter over their first answers (tutor.mastery)."""

    class State(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        LEARNING = "learning", "Learning"
        MASTERED = "mastered", "Mastered"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mastery"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="mastery")
    p_learned = models.FloatField()
    observations = models.PositiveIntegerField(default=0)
    state = models.CharField(
        max_length=12, choices=State.choices, default=State.NOT_STARTED
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "mastery"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic"], name="one_mastery_per_topic"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic.code}: {self.p_learned:.2f}"


class MasteryEvent(models.Model):
    """One first answer that moved a topic's mastery: the progress page's
    history (mastery over time, the activity calendar)."""

    class Source(models.TextChoices):
        QUIZ = "quiz", "Quiz answer"
        CODE = "code", "Code submission"
        RUNG = "rung", "Ladder rung"
        REVIEW = "review", "Review"
        EXAM = "exam", "Mock exam"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="mastery_events",
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices)
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    exercise = models.ForeignKey(
        CodingExercise,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(
        max_length=16, help_text="The item kind whose guess rate was used."
    )
    correct = models.BooleanField()
    p_before = models.FloatField()
    p_after = models.FloatField()
    source_key = models.CharField(
        max_length=40,
        blank=True,
        help_text="The row the answer is (quiz:<attempt>, submission:<id>, "
        "rung:<attempt>, exam:<item>): a signal delivered twice counts once.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source_key"],
                condition=~Q(source_key=""),
                name="one_mastery_event_per_source_row",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.topic_id} · {self.p_before:.2f}→{self.p_after:.2f}"


class ExamBlueprint(models.Model):
    """An instructor's recipe for a mock exam: how many questions from which topics."""

    name = models.CharField(max_length=200)
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    rules = models.JSONField(
        default=list,
        blank=True,
        help_text='A list of {"topic": "7.8", "count": 2}; empty: draw at random.',
    )
    random_count = models.PositiveSmallIntegerField(
        default=10, help_text="Questions drawn at random when there are no rules."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MockExam(models.Model):
    """One sitting of a timed paper. The clock is the server's: answers after
    the deadline are refused and the paper is marked as it stood."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mock_exams"
    )
    blueprint = models.ForeignKey(
        ExamBlueprint,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exams",
    )
    title = models.CharField(max_length=200)
    started_at = models.DateTimeField(auto_now_add=True)
    deadline = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    timed_out = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    by_topic = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.title} · {self.started_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("exam", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.submitted_at is None


class MockExamItem(models.Model):
    exam = models.ForeignKey(MockExam, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField()
    answer = models.JSONField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    flagged = models.BooleanField(
        default=False, help_text="The student flagged the question for review."
    )

    class Meta:
        ordering = ["exam", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["exam", "position"], name="one_item_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.exam} · {self.position + 1}. {self.question}"


class PersonalSheet(models.Model):
    """A student's own cheat sheet: chosen topics and their own notes."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sheets"
    )
    title = models.CharField(max_length=120)
    topics = models.ManyToManyField(Topic, related_name="+")
    notes = models.JSONField(
        default=dict, blank=True, help_text="The student's note per topic, by code."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title
