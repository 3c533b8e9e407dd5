"""What students do with the quizzes: checked answers, running progress per
question, hints revealed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from exercises.models.content import Question


class QuizAttempt(models.Model):
    """One checked answer to one question. Unreadable input is never stored as an
    attempt: the student is told what could not be read instead."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="attempts"
    )
    seed = models.BigIntegerField(help_text="Seed of the variant the student saw.")
    answer = models.JSONField()
    is_correct = models.BooleanField()
    score = models.FloatField(help_text="Credit in [0, 1].")
    feedback = models.JSONField(default=dict, blank=True)
    hints_used = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "question", "created_at"])]

    def __str__(self) -> str:
        verdict = "right" if self.is_correct else "wrong"
        return f"{self.user} · {self.question} · {verdict}"


class QuestionProgress(models.Model):
    """A student's running record on one question, moved by the first answer of
    each practice session only (exercises.services.attempts.session_start)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="progress"
    )
    attempts = models.PositiveIntegerField(default=0)
    correct = models.PositiveIntegerField(default=0)
    last_correct = models.BooleanField(default=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    variant = models.PositiveIntegerField(
        default=0,
        help_text="The number of the variant the student works on; it moves on "
        "only when they ask for another after answering it.",
    )

    class Meta:
        verbose_name_plural = "question progress"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question"], name="one_progress_row_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question}: {self.correct}/{self.attempts}"


class HintUse(models.Model):
    """A hint a student revealed, on one variant of one question."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hint_uses"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="hint_uses"
    )
    seed = models.BigIntegerField()
    index = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "question", "seed", "index"], name="one_use_per_hint"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.question} · hint {self.index + 1}"
