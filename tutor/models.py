"""The student's study plan: spaced-repetition cards and mock exams."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from exercises.models import Question, Topic


class ReviewCard(models.Model):
    """The review schedule of one question for one student (FSRS state)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_cards"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="review_cards"
    )
    state = models.JSONField(help_text="The scheduler's card, as it serialises it.")
    due = models.DateTimeField(db_index=True)
    reviews = models.PositiveIntegerField(default=0)
    last_rating = models.CharField(max_length=10, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_card_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · due {self.due:%Y-%m-%d %H:%M}"


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
